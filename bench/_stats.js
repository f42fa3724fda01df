// Small helpers shared by the benchmarks: percentiles, formatting, child-process readiness timing.
const { spawn } = require('node:child_process');

/** The p-th percentile (0–100) of a list of numbers. */
function percentile(values, p) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index];
}

function median(values) {
  return percentile(values, 50);
}

function fmt(value, digits = 1) {
  return Number.isFinite(value) ? value.toFixed(digits) : String(value);
}

/** Spawns a process and resolves with milliseconds until a line matching `ready` appears on stdout or stderr. */
function timeUntilLine(command, args, ready, options = {}) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const onData = (chunk) => {
      output += chunk;
      if (ready.test(output)) {
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        child.kill('SIGTERM');
        child.once('exit', () => resolve(ms));
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      if (!ready.test(output)) reject(new Error(`${command} exited with ${code} before ready:\n${output}`));
    });
  });
}

module.exports = { percentile, median, fmt, timeUntilLine };
