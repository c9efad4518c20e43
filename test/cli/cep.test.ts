/**
 * `eddy cep`: a JSON pattern over NDJSON events, keyed and in event time, with timed-out
 * partial matches to their own file; bad pattern files and bad events give clear errors.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const FRAUD = {
  within: 60_000,
  skip: 'skipPastLastEvent',
  states: [
    { name: 'small', where: { amount: { lt: 10 } } },
    {
      name: 'large',
      transition: 'followedBy',
      where: { amount: { gt: { ref: 'small', field: 'amount', times: 100 } } },
    },
  ],
};

const EVENTS = [
  { card: 'A', time: 1_000, amount: 5 },
  { card: 'B', time: 2_000, amount: 3 },
  { card: 'A', time: 1_500, amount: 40 },
  { card: 'A', time: 30_000, amount: 900 },
  { card: 'B', time: 90_000, amount: 800 },
  { card: 'C', time: 95_000, amount: 2 },
  { card: 'C', time: 96_000, amount: 201 },
];

function setUp(pattern: unknown, events: unknown[] = EVENTS) {
  const dir = mkdtempSync(join(tmpdir(), 'eddy-cep-'));
  const rules = join(dir, 'rules.json');
  const input = join(dir, 'events.ndjson');
  writeFileSync(rules, typeof pattern === 'string' ? pattern : JSON.stringify(pattern));
  writeFileSync(input, `${events.map((e) => JSON.stringify(e)).join('\n')}\n`);
  return { dir, rules, input };
}

const lines = (text: string) =>
  text
    .trim()
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line));

describe('eddy cep', () => {
  it('finds the fraud pattern per card in event time, timed-out partial matches to --timeouts', async () => {
    const { dir, rules, input } = setUp(FRAUD);
    const output = join(dir, 'alerts.ndjson');
    const timeouts = join(dir, 'timeouts.ndjson');
    const run = await runCli([
      'cep',
      '--pattern',
      rules,
      input,
      '--key',
      'card',
      '--time',
      'time',
      '--out-of-orderness',
      '1000',
      '--output',
      output,
      '--timeouts',
      timeouts,
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(lines(readFileSync(output, 'utf8'))).toEqual([
      {
        key: 'A',
        time: 30_000,
        match: { small: [EVENTS[0]], large: [EVENTS[3]] },
      },
      {
        key: 'C',
        time: 96_000,
        match: { small: [EVENTS[5]], large: [EVENTS[6]] },
      },
    ]);
    // B's small purchase found nothing large within a minute.
    expect(lines(readFileSync(timeouts, 'utf8'))).toEqual([
      { match: { small: [EVENTS[1]] }, timestamp: 62_000, key: 'B' },
    ]);
  });

  it('matches in file order without --time, and writes to stdout', async () => {
    const { rules, input } = setUp({
      states: [
        { name: 'a', where: { card: 'A' } },
        { name: 'b', transition: 'next', where: { card: { in: ['B', 'C'] }, amount: { exists: true } } },
      ],
    });
    const run = await runCli(['cep', '--pattern', rules, input]);
    expect(run.code).toBe(0);
    expect(lines(run.stdout).map((line) => line.match.a[0].time)).toEqual([1_000, 30_000]);
  });

  it('reads states with quantifiers, iterative aggregates and compound conditions', async () => {
    const { rules, input } = setUp({
      states: [
        { name: 'rising', where: { card: 'A' }, oneOrMore: true, consecutive: false },
        {
          name: 'peak',
          transition: 'followedByAny',
          where: {
            and: [
              { card: 'A' },
              { amount: { ge: { ref: 'rising', field: 'amount', agg: 'sum', plus: 860 } } },
            ],
            not: { amount: { lt: 0 } },
          },
        },
      ],
    });
    const run = await runCli([
      'cep',
      '--pattern',
      rules,
      input,
      '--time',
      'time',
      '--out-of-orderness',
      '1000',
    ]);
    expect(run.code).toBe(0);
    const found = lines(run.stdout).map((line) => line.match.rising.map((e: { amount: number }) => e.amount));
    // 900 >= sum + 860 holds for the runs [5] and [40], not for [5, 40] (sum 45).
    expect(found.sort()).toEqual([[40], [5]]);
  });

  const badPatterns: [string, unknown, RegExp][] = [
    ['not JSON', '{"states": [', /rules\.json: not JSON/],
    ['no states', { within: 5 }, /"states": missing or empty/],
    ['an unknown key', { states: [{ name: 'a', wher: {} }] }, /states\[0\]: unknown key "wher"/],
    [
      'an unknown transition',
      { states: [{ name: 'a' }, { name: 'b', transition: 'then' }] },
      /states\[1\]\.transition: missing or unknown: "then"/,
    ],
    [
      'a transition on the first state',
      { states: [{ name: 'a', transition: 'next' }] },
      /states\[0\]\.transition: the first state has no transition/,
    ],
    [
      'an unknown operator',
      { states: [{ name: 'a', where: { x: { gte: 1 } } }] },
      /states\[0\]\.where\.x: unknown operator "gte"/,
    ],
    [
      'a bad skip strategy',
      { skip: 'skipAll', states: [{ name: 'a' }] },
      /"skip": unknown strategy "skipAll"/,
    ],
    ['a negative within', { within: -1, states: [{ name: 'a' }] }, /"within": not a positive number: -1/],
    [
      'a rule Flink refuses',
      { states: [{ name: 'a', greedy: true }] },
      /states\[0\]: malformed pattern: greedy\(\) applies to a looping or times step/,
    ],
    ['a duplicate state name', { states: [{ name: 'a' }, { name: 'a', transition: 'next' }] }, /used twice/],
  ];
  for (const [what, pattern, message] of badPatterns) {
    it(`refuses a pattern file with ${what}, naming the file and the place (exit 1)`, async () => {
      const { rules, input } = setUp(pattern);
      const run = await runCli(['cep', '--pattern', rules, input]);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(message);
      expect(run.stderr).toContain('rules.json');
    });
  }

  it('refuses events without the --time field, and a missing --pattern (exit 2)', async () => {
    const { rules, input } = setUp(FRAUD, [{ card: 'A', amount: 3 }]);
    const run = await runCli(['cep', '--pattern', rules, input, '--time', 'time']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/no event time in field "time".*expected a number of milliseconds/);
    const usage = await runCli(['cep', input]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/--pattern FILE is required/);
  });
});
