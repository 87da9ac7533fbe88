// `npm run config -- check FILE`: checks a site file without starting anything.
import { ConfigError, loadSiteConfig } from './load.ts';

const [command, file] = process.argv.slice(2);
if (command !== 'check' || !file) {
  process.stderr.write('usage: config check FILE\n');
  process.exit(2);
}
try {
  const site = loadSiteConfig(file);
  process.stdout.write(`${file}: ok (${site.alarmBoxes.length} alarm boxes, ${site.serialLines.length} serial lines, ${site.modbusBuses.length} Modbus buses)\n`);
} catch (err) {
  if (err instanceof ConfigError) {
    for (const p of err.problems) process.stderr.write(`${file}: ${p}\n`);
    process.exit(1);
  }
  throw err;
}
