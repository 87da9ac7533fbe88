import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseSiteConfig } from '../../../config/load.ts';

const demo = readFileSync('config/demo-school.yaml', 'utf8');
const RESPONSE_LINE = 'response: { acknowledgeS: 60, arriveS: 300 }';

function problems(text: string): string[] {
  try {
    parseSiteConfig(text, 'site.yaml');
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('patrol teams and response targets in the site file', () => {
  it('the demo school has an east and a west patrol team, and the centre\'s targets', () => {
    const site = parseSiteConfig(demo);
    expect(site.patrolTeams).toEqual([
      { id: 'team-east', name: { zh: '东区巡逻组', en: 'East patrol' } },
      { id: 'team-west', name: { zh: '西区巡逻组', en: 'West patrol' } },
    ]);
    expect(site.response).toEqual({ acknowledgeS: 60, arriveS: 300 });
  });

  it('response is optional: the defaults are 60 s to acknowledge and 300 s to arrive', () => {
    expect(demo).toContain(RESPONSE_LINE);
    expect(parseSiteConfig(demo.replace(RESPONSE_LINE, '')).response).toEqual({ acknowledgeS: 60, arriveS: 300 });
    expect(parseSiteConfig(demo.replace(RESPONSE_LINE, 'response: { arriveS: 600 }')).response).toEqual({ acknowledgeS: 60, arriveS: 600 });
  });

  it('names the field: duplicate team ids, a bad id, a missing name, unknown keys', () => {
    expect(problems(demo.replace('id: team-west', 'id: team-east'))).toEqual(['patrolTeams[1].id: duplicate patrol team id "team-east"']);
    expect(problems(demo.replace('id: team-west', 'id: Team West'))[0]).toMatch(/^patrolTeams\[1\]\.id: /);
    expect(problems(demo.replace('{ zh: 西区巡逻组, en: West patrol }', '{ zh: 西区巡逻组 }'))[0]).toMatch(/^patrolTeams\[1\]\.name\.en: /);
    expect(problems(demo.replace('  - id: team-west\n', '  - id: team-west\n    radio: 5\n'))).toEqual(['patrolTeams[1].radio: unknown field (radio)']);
    expect(problems(demo.replace(RESPONSE_LINE, 'response: { acknowledgeS: 60, arriveS: 300, escalateS: 5 }'))).toEqual(['response.escalateS: unknown field (escalateS)']);
  });

  it('needs at least one team, at most 50', () => {
    const start = demo.indexOf('patrolTeams:');
    const end = demo.indexOf('\n\n', start);
    const without = demo.slice(0, start) + demo.slice(end);
    expect(problems(without)[0]).toMatch(/^patrolTeams: /);
    expect(problems(demo.slice(0, start) + 'patrolTeams: []' + demo.slice(end))[0]).toMatch(/^patrolTeams: /);
    const many = Array.from({ length: 51 }, (_, i) => `  - { id: team-${i}, name: { zh: 组${i}, en: Team ${i} } }`).join('\n');
    expect(problems(demo.slice(0, start) + `patrolTeams:\n${many}` + demo.slice(end))[0]).toMatch(/^patrolTeams: /);
  });

  it('targets are whole seconds, and arriving cannot be due before acknowledging', () => {
    expect(problems(demo.replace(RESPONSE_LINE, 'response: { acknowledgeS: 0 }'))[0]).toMatch(/^response\.acknowledgeS: /);
    expect(problems(demo.replace(RESPONSE_LINE, 'response: { acknowledgeS: 90, arriveS: 60 }'))).toEqual(['response.arriveS: must not be shorter than response.acknowledgeS']);
  });
});
