// Service Bus broker figures (goals: >= 3,000 msg/s send+receive+complete, request/reply p50 <= 3 ms), each with a
// baseline measured in the same run, plus the broker's memory with 100,000 queued 1 KB messages.
// Throughput and latency run the real @azure/service-bus SDK against the broker in this process; the memory figure
// comes from a broker in a child process, so the SDK's own memory stays out of it. Needs `npm run build` first.
// Usage: node bench/servicebus.js [messages=10000] [roundTrips=1000] [queued=100000]
const { fork } = require('node:child_process');
const rhea = require('rhea');
const { ServiceBusClient } = require('@azure/service-bus');
const { fmt, percentile } = require('./_stats');

const messages = Number(process.argv[2] ?? 10_000);
const roundTrips = Number(process.argv[3] ?? 1000);
const queued = Number(process.argv[4] ?? 100_000);

const config = {
  UserConfig: {
    Namespaces: [
      {
        Name: 'sbemulatorns',
        Queues: [
          { Name: 'batched', Properties: { MaxDeliveryCount: 10 } },
          { Name: 'unbatched', Properties: { MaxDeliveryCount: 10 } },
          { Name: 'deleted' },
          { Name: 'latency' },
          { Name: 'requests' },
          { Name: 'replies', Properties: { RequiresSession: true } },
          { Name: 'deep' },
        ],
        Topics: [],
      },
    ],
    Logging: { Type: 'Console' },
  },
};

if (process.env.SERVICEBUS_BENCH_BROKER) {
  runChildBroker();
} else {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}

async function main() {
  const { startServiceBusBroker } = require('../platform/dist/servicebus/index.js');
  const broker = await startServiceBusBroker({ port: 0, config });
  const client = new ServiceBusClient(broker.connectionString);
  try {
    await warmUp(client);
    const raw = await rawRheaEcho(messages);
    const deleted = await batchedReceiveAndDelete(client, messages);
    const batched = await batchedPeekLock(client, messages);
    const unbatched = await unbatchedPeekLock(client, messages);
    console.log(`throughput, ${messages} small messages each (goal: peek-lock >= 3000 msg/s)`);
    printRate('raw rhea client <-> rhea echo server (floor)', raw, raw);
    printRate('SDK batched send + receiveAndDelete (baseline)', deleted, deleted);
    printRate('SDK batched send + receive + complete', batched, deleted);
    printRate('SDK 100 concurrent single sends + subscribe(100) + complete', unbatched, deleted);

    const plain = await sendReceiveLatency(client, roundTrips);
    const service = new ServiceBusClient(broker.connectionString);
    const reply = await requestReplyLatency(client, service, roundTrips, 'requester-1');
    await service.close();
    const shared = await requestReplyLatency(client, client, Math.min(roundTrips, 200), 'requester-2');
    console.log(`\nlatency, sequential round trips (goal: request/reply p50 <= 3 ms)`);
    printLatency('send -> receive -> complete, one queue (baseline)', plain);
    printLatency('request -> reply over a session queue', reply);
    printLatency('the same, requester and replier on one connection', shared);
    console.log(`  ratio request/reply p50 / baseline p50: ${fmt(percentile(reply, 50) / percentile(plain, 50), 2)}`);
    console.log(
      '  (the SDK never sets TCP_NODELAY; the broker acknowledges every client packet at once, so one shared ' +
        'connection does not wait on Nagle + delayed ACK)',
    );
  } finally {
    await client.close();
    await broker.stop();
  }
  await measureMemory(queued);
}

function printRate(name, result, baseline) {
  const ratio = result.rate / baseline.rate;
  console.log(
    `  ${name.padEnd(62)} ${fmt(result.rate, 0).padStart(7)} msg/s  x${fmt(ratio, 2)}  ` +
      `${fmt(result.cpuUs, 0).padStart(4)} µs CPU/msg (${fmt(result.seconds, 2)} s)`,
  );
}

/** Runs a throughput scenario, timing it and counting this process's CPU (broker and SDK) per message. */
async function measureRate(count, scenario) {
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  await scenario();
  const seconds = elapsedSeconds(started);
  const used = process.cpuUsage(cpu);
  return { rate: count / seconds, seconds, cpuUs: (used.user + used.system) / count };
}

function printLatency(name, samples) {
  const mean = samples.reduce((sum, value) => sum + value, 0) / samples.length;
  console.log(
    `  ${name.padEnd(50)} p50 ${fmt(percentile(samples, 50), 2)} ms  p95 ${fmt(percentile(samples, 95), 2)} ms  ` +
      `p99 ${fmt(percentile(samples, 99), 2)} ms  mean ${fmt(mean, 2)} ms`,
  );
}

async function warmUp(client) {
  const sender = client.createSender('deleted');
  await sender.sendMessages(Array.from({ length: 200 }, (_, i) => ({ body: i })));
  const receiver = client.createReceiver('deleted', { receiveMode: 'receiveAndDelete' });
  let received = 0;
  while (received < 200) received += (await receiver.receiveMessages(200, { maxWaitTimeInMs: 1000 })).length;
  await receiver.close();
  await sender.close();
}

async function sendBatched(sender, count) {
  for (let start = 0; start < count; start += 100) {
    const size = Math.min(100, count - start);
    await sender.sendMessages(Array.from({ length: size }, (_, i) => ({ body: { n: start + i } })));
  }
}

async function batchedReceiveAndDelete(client, count) {
  const sender = client.createSender('deleted');
  const receiver = client.createReceiver('deleted', { receiveMode: 'receiveAndDelete' });
  const result = await measureRate(count, async () => {
    await sendBatched(sender, count);
    let received = 0;
    while (received < count) received += (await receiver.receiveMessages(100, { maxWaitTimeInMs: 1000 })).length;
  });
  await Promise.all([sender.close(), receiver.close()]);
  return result;
}

async function batchedPeekLock(client, count) {
  const sender = client.createSender('batched');
  const receiver = client.createReceiver('batched');
  const result = await measureRate(count, async () => {
    await sendBatched(sender, count);
    let completed = 0;
    while (completed < count) {
      const batch = await receiver.receiveMessages(100, { maxWaitTimeInMs: 1000 });
      await Promise.all(batch.map((message) => receiver.completeMessage(message)));
      completed += batch.length;
    }
  });
  await Promise.all([sender.close(), receiver.close()]);
  return result;
}

async function unbatchedPeekLock(client, count) {
  const sender = client.createSender('unbatched');
  const receiver = client.createReceiver('unbatched');
  const result = await measureRate(count, () => sendAndSubscribe(sender, receiver, count));
  await Promise.all([sender.close(), receiver.close()]);
  return result;
}

async function sendAndSubscribe(sender, receiver, count) {
  let completed = 0;
  const done = new Promise((resolve, reject) => {
    receiver.subscribe(
      {
        processMessage: async () => {
          if (++completed === count) resolve();
        },
        processError: async ({ error }) => reject(error),
      },
      { maxConcurrentCalls: 100, autoCompleteMessages: true },
    );
  });
  let next = 0;
  await Promise.all(
    Array.from({ length: 100 }, async () => {
      while (next < count) {
        const n = next++;
        await sender.sendMessages({ body: { n } });
      }
    }),
  );
  await done;
}

async function sendReceiveLatency(client, count) {
  const sender = client.createSender('latency');
  const receiver = client.createReceiver('latency');
  const samples = [];
  for (let i = 0; i < count + 20; i++) {
    const started = process.hrtime.bigint();
    await sender.sendMessages({ body: { i } });
    const [message] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 5000 });
    await receiver.completeMessage(message);
    if (i >= 20) samples.push(elapsedSeconds(started) * 1000);
  }
  await Promise.all([sender.close(), receiver.close()]);
  return samples;
}

/**
 * The app's pattern: request with replyTo + replyToSessionId; the service (its own client, as the Functions app is
 * its own process) replies into the requester's session.
 */
async function requestReplyLatency(client, serviceClient, count, sessionId) {
  const service = serviceClient.createReceiver('requests');
  const replier = serviceClient.createSender('replies');
  const subscription = service.subscribe(
    {
      processMessage: async (request) => {
        await replier.sendMessages({
          body: { ok: true },
          sessionId: request.replyToSessionId,
          correlationId: request.messageId,
        });
      },
      processError: async ({ error }) => console.error(error),
    },
    { maxConcurrentCalls: 10 },
  );
  const requests = client.createSender('requests');
  const replies = await client.acceptSession('replies', sessionId);
  const samples = [];
  for (let i = 0; i < count + 20; i++) {
    const started = process.hrtime.bigint();
    await requests.sendMessages({ body: { i }, messageId: `r-${i}`, replyTo: 'replies', replyToSessionId: sessionId });
    const [reply] = await replies.receiveMessages(1, { maxWaitTimeInMs: 5000 });
    if (reply?.correlationId !== `r-${i}`) throw new Error(`reply ${i} missing or out of order`);
    await replies.completeMessage(reply);
    if (i >= 20) samples.push(elapsedSeconds(started) * 1000);
  }
  await subscription.close();
  await Promise.all([requests.close(), replies.close(), replier.close(), service.close()]);
  return samples;
}

/**
 * Floor for the transport: a bare rhea client sending to a bare rhea server that echoes each message back. Both
 * sides keep at most one session buffer (2048 deliveries) in flight, as rhea needs (fragility items 1 and 2).
 */
function rawRheaEcho(count) {
  const room = (link) => link.session.outgoing.available() > 0;
  return new Promise((resolve, reject) => {
    const server = rhea.create_container({ id: 'echo-server' });
    const backlog = [];
    let echo;
    const flushEcho = () => {
      while (echo && backlog.length > 0 && room(echo)) echo.send(backlog.shift());
    };
    server.on('sender_open', (context) => (echo = context.sender));
    server.on('message', (context) => {
      backlog.push({ body: context.message.body });
      flushEcho();
    });
    server.on('settled', flushEcho);
    const listener = server.listen({ port: 0, host: '127.0.0.1' });
    listener.on('listening', () => {
      const client = rhea.create_container({ id: 'echo-client' });
      const connection = client.connect({ port: listener.address().port, host: '127.0.0.1', reconnect: false });
      const sender = connection.open_sender('echo');
      connection.open_receiver('echo');
      let sent = 0;
      let received = 0;
      let started;
      let cpu;
      const pump = () => {
        started ??= process.hrtime.bigint();
        cpu ??= process.cpuUsage();
        while (sent < count && room(sender)) sender.send({ body: { n: sent++ } });
      };
      client.on('sendable', pump);
      client.on('settled', pump);
      client.on('message', () => {
        if (++received === count) {
          const seconds = elapsedSeconds(started);
          const used = process.cpuUsage(cpu);
          connection.close();
          listener.close();
          resolve({ rate: count / seconds, seconds, cpuUs: (used.user + used.system) / count });
        }
      });
      client.on('error', reject);
    });
  });
}

async function measureMemory(count) {
  const child = fork(__filename, [], {
    env: { ...process.env, SERVICEBUS_BENCH_BROKER: '1' },
    execArgv: ['--expose-gc'],
  });
  const ask = (request) =>
    new Promise((resolve) => {
      child.once('message', resolve);
      child.send(request);
    });
  const { connectionString } = await ask({ kind: 'start' });
  const idle = await ask({ kind: 'memory' });
  const client = new ServiceBusClient(connectionString);
  const sender = client.createSender('deep');
  const body = Buffer.alloc(1024, 97);
  const started = process.hrtime.bigint();
  let batch = await sender.createMessageBatch();
  for (let i = 0; i < count; i++) {
    if (!batch.tryAddMessage({ body })) {
      await sender.sendMessages(batch);
      batch = await sender.createMessageBatch();
      batch.tryAddMessage({ body });
    }
  }
  await sender.sendMessages(batch);
  const sendSeconds = elapsedSeconds(started);
  const full = await ask({ kind: 'memory' });
  await client.close();
  await ask({ kind: 'stop' });
  child.kill();

  // `external` already includes the ArrayBuffers behind message bytes.
  const perMessage = (full.heapUsed + full.external - (idle.heapUsed + idle.external)) / count;
  const rssPerMessage = (full.rss - idle.rss) / count;
  console.log(`\nmemory of the broker process with ${count} queued 1 KB messages (sent in ${fmt(sendSeconds, 1)} s)`);
  console.log(`  idle broker:    rss ${mb(idle.rss)}  heap ${mb(idle.heapUsed)}  buffers ${mb(idle.arrayBuffers)}`);
  console.log(`  with messages:  rss ${mb(full.rss)}  heap ${mb(full.heapUsed)}  buffers ${mb(full.arrayBuffers)}`);
  console.log(
    `  per message:    ${fmt(perMessage, 0)} bytes of heap and buffers, ${fmt(rssPerMessage, 0)} bytes of RSS, ` +
      `for a 1024-byte body (x${fmt(perMessage / 1024, 2)} / x${fmt(rssPerMessage / 1024, 2)})`,
  );
}

function runChildBroker() {
  const { startServiceBusBroker } = require('../platform/dist/servicebus/index.js');
  let broker;
  process.on('message', async (request) => {
    if (request.kind === 'start') {
      broker = await startServiceBusBroker({ port: 0, config });
      process.send({ connectionString: broker.connectionString });
    } else if (request.kind === 'memory') {
      global.gc?.();
      process.send(process.memoryUsage());
    } else if (request.kind === 'stop') {
      await broker.stop();
      process.send({});
      process.exit(0);
    }
  });
}

function mb(bytes) {
  return `${fmt(bytes / 1024 / 1024, 1)} MB`;
}

function elapsedSeconds(started) {
  return Number(process.hrtime.bigint() - started) / 1e9;
}
