// Runs every benchmark in this folder in turn (after `npm run build`) and prints their figures.
// `npm run bench -- queue http` runs only the named ones.
const { spawnSync } = require('node:child_process');
const { readdirSync } = require('node:fs');
const path = require('node:path');

const wanted = process.argv.slice(2);
const benches = readdirSync(__dirname)
  .filter((file) => file.endsWith('.js') && file !== 'run.js' && !file.startsWith('_'))
  .filter((file) => wanted.length === 0 || wanted.includes(path.basename(file, '.js')));

let failed = 0;
for (const file of benches) {
  process.stdout.write(`\n=== ${file}\n`);
  const result = spawnSync(process.execPath, ['--expose-gc', path.join(__dirname, file)], { stdio: 'inherit' });
  if (result.status !== 0) {
    failed++;
    process.stdout.write(`!!! ${file} exited with ${result.status ?? result.signal}\n`);
  }
}
process.exit(failed === 0 ? 0 : 1);
