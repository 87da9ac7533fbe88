// The host's side of health: this process's memory, the journal's size on disk, free space where
// the data lives. Cheap enough for every request (a few stat calls); a figure that cannot be read
// is reported as null or 0, never as an error: health must answer when things are bad.
import { statSync, statfsSync } from 'node:fs';

const MIB = 1024 * 1024;

export interface HostHealth {
  process: { rssMiB: number; heapUsedMiB: number };
  journal: { bytes: number };
  disk: { freeBytes: number | null };
}

function fileBytes(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

/** The SQLite journal is the file, its write-ahead log and (briefly) nothing else that grows. */
export function journalBytes(journalFile: string | null): number {
  if (!journalFile || journalFile === ':memory:') return 0;
  return fileBytes(journalFile) + fileBytes(`${journalFile}-wal`);
}

/** Space an unprivileged process may still write on the data directory's file system. */
export function freeBytes(dataDir: string | null): number | null {
  if (!dataDir) return null;
  try {
    const s = statfsSync(dataDir);
    return Number(s.bavail) * Number(s.bsize);
  } catch {
    return null;
  }
}

export function hostHealth(opts: { journalFile: string | null; dataDir: string | null }): HostHealth {
  const mem = process.memoryUsage();
  const round = (bytes: number) => Math.round((bytes / MIB) * 10) / 10;
  return {
    process: { rssMiB: round(mem.rss), heapUsedMiB: round(mem.heapUsed) },
    journal: { bytes: journalBytes(opts.journalFile) },
    disk: { freeBytes: freeBytes(opts.dataDir) },
  };
}
