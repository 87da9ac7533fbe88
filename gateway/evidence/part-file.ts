// A file that only appears under its real name once complete: bytes go to "<name>.part", are
// fsync'd, then renamed (and the directory fsync'd so the rename survives a power cut). After a
// crash, a ".part" is plainly unfinished; retention treats a stale one as garbage.
import { access, mkdir, open, rename, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';

export const PART_SUFFIX = '.part';

export class PartFile {
  private tail: Promise<unknown>;
  private fh: FileHandle | null = null;
  private failure: unknown = null;
  private finalPath: string;
  bytes = 0;

  /** Creates "<path>.part" (and its folder) in the background; never overwrites: a name already
   * taken gets "-2", "-3"... before its extension. */
  constructor(path: string) {
    this.finalPath = path;
    this.tail = this.openFree(path).catch((err: unknown) => {
      this.failure = err;
    });
  }

  /** Final path (may differ from the one asked for if that name was taken). */
  get path(): string {
    return this.finalPath;
  }

  /** Queues bytes; writes happen in order. An I/O error surfaces at commit(). */
  append(data: Buffer): void {
    this.bytes += data.length;
    this.tail = this.tail.then(async () => {
      if (this.failure !== null || !this.fh) return;
      try {
        await this.fh.write(data);
      } catch (err) {
        this.failure = err;
      }
    });
  }

  async commit(): Promise<string> {
    await this.tail;
    const fh = this.fh;
    if (this.failure !== null || !fh) {
      await this.discard();
      throw this.failure ?? new Error('part file never opened');
    }
    await fh.sync();
    await fh.close();
    this.fh = null;
    await rename(this.finalPath + PART_SUFFIX, this.finalPath);
    const dir = await open(dirname(this.finalPath), 'r');
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
    return this.finalPath;
  }

  async discard(): Promise<void> {
    await this.tail;
    await this.fh?.close().catch(() => undefined);
    this.fh = null;
    await unlink(this.finalPath + PART_SUFFIX).catch(() => undefined);
  }

  private async openFree(path: string): Promise<void> {
    await mkdir(dirname(path), { recursive: true });
    const ext = extname(path);
    const stem = join(dirname(path), basename(path, ext));
    for (let n = 1; n < 100; n++) {
      const candidate = n === 1 ? path : `${stem}-${n}${ext}`;
      try {
        // 'wx' on the .part alone would let a finished file of the same name be overwritten at rename.
        if (await access(candidate).then(() => true, () => false)) continue;
        this.fh = await open(candidate + PART_SUFFIX, 'wx');
        this.finalPath = candidate;
        return;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
    }
    throw new Error(`no free file name for ${path}`);
  }
}
