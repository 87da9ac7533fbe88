// The one flag every process takes: --config FILE (or SITE_CONFIG in the environment).
export function configPathFromArgs(argv = process.argv.slice(2)): string {
  const i = argv.indexOf('--config');
  const file = i >= 0 ? argv[i + 1] : process.env.SITE_CONFIG;
  if (!file) {
    process.stderr.write('usage: --config SITE.yaml (or SITE_CONFIG=...)\n');
    process.exit(2);
  }
  return file;
}
