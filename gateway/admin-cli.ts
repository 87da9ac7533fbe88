// Local administration with access to the data directory (which is the real trust boundary):
//   tsx gateway/admin-cli.ts --config SITE.yaml reset-password USER
//   tsx gateway/admin-cli.ts --config SITE.yaml create-user USER ROLE [TEAM]
// ROLE is admin, operator, security or patrol; a patrol user needs TEAM (a patrolTeams id of the
// site file), nobody else takes one. The new password is printed once, never logged.
import { loadSiteConfig } from '../config/load.ts';
import { configPathFromArgs } from '../common/process-args.ts';
import { CodedError } from '../common/coded-error.ts';
import { Journal } from './journal/journal.ts';
import { AuthService } from './auth/auth-service.ts';
import { gatewayJournalPath } from './gateway-process.ts';

const USAGE = 'usage: admin-cli --config SITE.yaml reset-password USER\n       admin-cli --config SITE.yaml create-user USER ROLE [TEAM]\n';

const site = loadSiteConfig(configPathFromArgs());
const args = process.argv.slice(2).filter((a, i, all) => a !== '--config' && all[i - 1] !== '--config');
const [command, username, role, team] = args;
const valid = (command === 'reset-password' && username && args.length === 2) || (command === 'create-user' && username && role && args.length <= 4);
if (!valid) {
  process.stderr.write(USAGE);
  process.exit(2);
}
const journal = new Journal({ file: gatewayJournalPath(site.gateway.dataDir), site });
try {
  const auth = new AuthService({ users: journal.users, sessions: journal.sessions, teams: site.patrolTeams.map((t) => t.id) });
  if (command === 'reset-password') {
    const password = await auth.resetPassword(username!);
    process.stdout.write(`user "${username}" password: ${password}\n`);
  } else {
    const { user, password } = await auth.createUser(username!, role!, undefined, team ?? null);
    process.stdout.write(`user "${user.username}" (${user.role}${user.team ? `, ${user.team}` : ''}) password: ${password}\n`);
  }
} catch (err) {
  if (!(err instanceof CodedError)) throw err;
  process.stderr.write(`${err.code}: ${err.message}\n`);
  process.exitCode = 1;
} finally {
  journal.close();
}
