import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseSiteConfig } from '../../../config/load.ts';

const demo = readFileSync('config/demo-school.yaml', 'utf8');

function problems(text: string): string[] {
  try {
    parseSiteConfig(text, 'site.yaml');
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('site configuration', () => {
  it('accepts the demo school: five boxes on three transports', () => {
    const site = parseSiteConfig(demo);
    expect(site.alarmBoxes).toHaveLength(5);
    expect(new Set(site.alarmBoxes.map((b) => b.transport.kind))).toEqual(new Set(['serial', 'modbus', 'mqtt']));
    expect(site.alarmBoxes.find((b) => b.id === 'box-office')?.silent).toBe(true);
  });

  it('names the field and the reason, one line per problem', () => {
    // Field-level problems come all at once; cross-references are checked once the shape is right.
    expect(problems(demo.replace('address: 2', 'address: 1'))).toEqual(['alarmBoxes[1].transport.address: address 1 is already used on line "line-a"']);
    const bad = demo
      .replace('port: 1883', 'port: 70000')
      .replace('priority: yellow', 'priority: purple')
      .concat('\nbogus: true\n');
    const p = problems(bad);
    expect(p.some((l) => l.startsWith('broker.port: '))).toBe(true);
    expect(p.some((l) => l.startsWith('alarmBoxes[4].priority: '))).toBe(true);
    expect(p).toContain('bogus: unknown field (bogus)');
    expect(p).toHaveLength(3);
  });

  it('catches wiring mistakes: unknown line, an input used twice, a floor the building lacks', () => {
    const bad = demo.replace('line: line-a, address: 2', 'line: line-z, address: 2').replace('buttonInput: 2', 'buttonInput: 0').replace('floor: 4\n', 'floor: 7\n');
    const p = problems(bad);
    expect(p).toContain('alarmBoxes[1].transport.line: no serial line "line-z" in serialLines');
    expect(p).toContain('alarmBoxes[3].transport.buttonInput: input 0 of module "io-1" is already wired to another box');
    expect(p).toContain('alarmBoxes[3].location.floor: building "teaching" has no floor 7');
  });

  it('reports broken YAML with its line', () => {
    expect(problems('site:\n  id: [\n')[0]).toMatch(/^\(yaml line \d+\): /);
  });

  it('`config check` exits non-zero and prints the problems without starting anything', () => {
    let out = '';
    let code = 0;
    try {
      execFileSync(process.execPath, ['--import', 'tsx', 'config/cli.ts', 'check', '/nonexistent.yaml'], { encoding: 'utf8', stdio: 'pipe' });
    } catch (err) {
      const e = err as { status: number; stderr: string };
      code = e.status;
      out = e.stderr;
    }
    expect(code).toBe(1);
    expect(out).toContain('/nonexistent.yaml: (file): cannot be read');
    const ok = execFileSync(process.execPath, ['--import', 'tsx', 'config/cli.ts', 'check', 'config/demo-school.yaml'], { encoding: 'utf8' });
    expect(ok).toContain('ok (5 alarm boxes');
  });

  it('start-up refuses an invalid site file with one line per problem, before starting anything', () => {
    const dir = mkdtempSync(join(tmpdir(), 'badsite-'));
    const file = join(dir, 'site.yaml');
    writeFileSync(file, demo.replace('address: 2', 'address: 1'));
    let code = 0;
    let err = '';
    try {
      execFileSync(process.execPath, ['--import', 'tsx', 'gateway/site.ts', '--config', file], { encoding: 'utf8', stdio: 'pipe', timeout: 20000 });
    } catch (e) {
      code = (e as { status: number }).status;
      err = (e as { stderr: string }).stderr;
    }
    expect(code).toBe(1);
    expect(err.trim().split('\n')).toEqual([`${file}: alarmBoxes[1].transport.address: address 1 is already used on line "line-a"`]);
    rmSync(dir, { recursive: true, force: true });
  });
});
