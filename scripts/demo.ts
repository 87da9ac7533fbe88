// The demo school on simulated hardware: ptys for the RS-485 line and the Modbus bus, simulated
// boxes and IO module, MQTT boxes, and the three site processes. Prints where to look and how to
// log in; `npm run sim -- …` drives the hardware while it runs. Ctrl+C stops everything.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadSiteConfig } from '../config/load.ts';
import { ensureSecrets } from '../config/secrets.ts';
import { componentLogger, createRootLogger } from '../common/logger.ts';
import { SiteSupervisor } from '../gateway/site-supervisor.ts';
import { SiteSimulators } from '../simulators/site-simulators.ts';
import { startControlServer } from '../simulators/control-server.ts';

const configFile = resolve(process.argv[2] ?? 'config/demo-school.yaml');
const root = createRootLogger('demo', process.env.LOG_LEVEL ?? 'warn');
const site = loadSiteConfig(configFile);
const secrets = ensureSecrets(site.gateway.dataDir, site, { generateCameraCredentials: true });
const runDir = resolve('run');
mkdirSync(join(runDir, 'logs'), { recursive: true });

let password: string | null = null;
const firstStart = !existsSync(join(site.gateway.dataDir, 'gateway.db'));
if (!firstStart) {
  // The password is shown only once, at first start; a demo that is started again gets a new one.
  const out = execFileSync(process.execPath, ['--import', 'tsx', 'gateway/admin-cli.ts', '--config', configFile, 'reset-password', 'admin'], { encoding: 'utf8' });
  password = /password: (\S+)/.exec(out)?.[1] ?? null;
}

const sims = new SiteSimulators(site, secrets);
await sims.startWired();
await sims.startCameras();
const supervisor = new SiteSupervisor({
  configFile,
  logDir: join(runDir, 'logs'),
  logger: componentLogger(root, 'supervisor'),
  onStderr: (name, line) => {
    const m = /administrator "admin" password: (\S+)/.exec(line);
    if (m) password = m[1]!;
    else if (line.trim()) process.stderr.write(`[${name}] ${line}\n`);
  },
});
supervisor.start();
await sims.startMqtt();
const control = await startControlServer(join(runDir, 'sim.sock'), sims);

const url = `http://${site.gateway.host}:${site.gateway.port}/`;
const deadline = Date.now() + 60000;
while ((await fetch(`${url}api/me`).catch(() => null))?.status !== 401) {
  if (Date.now() > deadline) {
    process.stderr.write(`the gateway did not come up; see ${join(runDir, 'logs')}\n`);
    process.exit(1);
  }
  await sleep(200);
}
while (password === null && Date.now() < deadline) await sleep(100);

process.stdout.write(`
  ${site.site.name.zh} · ${site.site.name.en} — demo site running on simulated hardware

  控制台 Dashboard:  ${url}
  登录 Log in:       user "admin", password "${password ?? '(see the gateway log)'}"
                     (random, made for this install, stored only as a hash; shown now only)
  值班员/巡逻 Operators, patrol: add them on the 用户 Users page; a patrol officer opens the
                     same address on a phone (pick a team for them: ${site.patrolTeams.map((t) => t.id).join(', ')})

  按下报警按钮 Press a box:  npm run sim -- press box-gate
      boxes: ${sims.boxIds.join(', ')}
      also:  release BOX · tamper BOX on|off · heartbeats BOX off|on · garbage line-a · unplug line-a · replug line-a · status
  Logs: ${join(runDir, 'logs')}/*.log     Stop: Ctrl+C
`);

let stopping = false;
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    if (stopping) return;
    stopping = true;
    process.stdout.write('stopping…\n');
    control.close();
    void supervisor
      .stop()
      .then(() => sims.stop())
      .finally(() => process.exit(0));
  });
}
