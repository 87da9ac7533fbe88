// The private file an ffmpeg child reads its camera from (see sourceListing in ffmpeg-args.ts):
// in a directory only this user may enter, readable only by this user, and gone once ffmpeg has
// read it (its first output) or has exited. A file left by a killed gateway holds nothing the
// same user could not read in the secrets file already.
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

export interface SourceFile {
  readonly path: string;
  /** Idempotent. */
  remove(): void;
}

function privateDir(): string {
  const dir = join(tmpdir(), `campus-gateway-${userInfo().uid}`, 'sources');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  // mkdir's mode is masked by umask and leaves an existing directory as it was: make sure.
  chmodSync(join(dir, '..'), 0o700);
  chmodSync(dir, 0o700);
  return dir;
}

export function writeSourceFile(listing: string): SourceFile {
  const path = join(privateDir(), `${randomBytes(12).toString('hex')}.ffconcat`);
  writeFileSync(path, listing, { mode: 0o600, flag: 'wx' });
  let removed = false;
  return {
    path,
    remove() {
      if (removed) return;
      removed = true;
      rmSync(path, { force: true });
    },
  };
}
