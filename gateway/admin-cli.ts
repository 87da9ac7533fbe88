// Local administration with access to the data directory (which is the real trust boundary):
//   tsx gateway/admin-cli.ts --config SITE.yaml reset-password USER
import { loadSiteConfig } from '../config/load.ts';
import { configPathFromArgs } from '../common/process-args.ts';
import { Journal } from './journal/journal.ts';
import { AuthService } from './auth/auth-service.ts';
import { gatewayJournalPath } from './gateway-process.ts';

const site = loadSiteConfig(configPathFromArgs());
const args = process.argv.slice(2).filter((a, i, all) => a !== '--config' && all[i - 1] !== '--config');
const [command, username] = args;
if (command !== 'reset-password' || !username) {
  process.stderr.write('usage: admin-cli --config SITE.yaml reset-password USER\n');
  process.exit(2);
}
const journal = new Journal({ file: gatewayJournalPath(site.gateway.dataDir), site });
try {
  const auth = new AuthService({ users: journal.users, sessions: journal.sessions });
  const password = await auth.resetPassword(username);
  process.stdout.write(`user "${username}" password: ${password}\n`);
} finally {
  journal.close();
}
