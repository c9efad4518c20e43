/**
 * `eddy cep`: complex event processing over NDJSON events, a thin wrapper over
 * `CEP.pattern(stream, Pattern.fromJSON(rules))`: matches as NDJSON lines, timed-out partial
 * matches to their own file.
 */
import { readFile } from 'node:fs/promises';
import {
  boundedOutOfOrderness,
  CEP,
  DataStream,
  fieldOf,
  InputError,
  type JsonEvent,
  type JsonValue,
  ndjsonFileSink,
  ndjsonSource,
  Pattern,
  type Sink,
  UsageError,
  writableSink,
} from '../../index.js';
import { defineCommand } from '../command.js';

/** The endings of the NDJSON files the command writes (a name without an ending is NDJSON too). */
const NDJSON_EXTENSIONS = ['.ndjson', '.jsonl', '.json'];

async function readPattern(path: string): Promise<Pattern<JsonEvent>> {
  const text = await readFile(path, 'utf8');
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new InputError(`not JSON (${(error as Error).message})`, {
      file: path,
      expected: 'a pattern document: {"states": [...], "within"?: ms, "skip"?: ...}',
    });
  }
  return Pattern.fromJSON(document, path);
}

/** NDJSON lines to a file (exactly-once with the job) or to stdout. */
function lineSink<T>(path: string | undefined, stdout: NodeJS.WritableStream): Sink<T> {
  if (path === undefined || path === '-') {
    return writableSink((records) => records.map((record) => `${JSON.stringify(record)}\n`).join(''), stdout);
  }
  return ndjsonFileSink<T>(path);
}

export default defineCommand({
  name: 'cep',
  summary: 'match a pattern (JSON states and transitions) over NDJSON events (Flink CEP semantics)',
  description:
    'Reads one JSON event per line and runs the pattern of --pattern over them (per --key when given). ' +
    'With --time, events are ordered by that field (ms) up to the watermark, which trails the largest ' +
    'time seen by --out-of-orderness; an event behind the watermark stops the run. Without --time, ' +
    'events match in file order and "within" counts wall-clock time. Output: one ' +
    '{"key","time","match":{state:[events]}} line per match; --timeouts writes the partial matches ' +
    'that outlived "within".',
  positionals: [{ name: 'events', description: 'NDJSON events (- for stdin)', required: true }],
  options: {
    pattern: {
      type: 'string',
      description: 'the pattern: {"states":[{"name","transition","where",...}],"within","skip"} (required)',
      valueName: 'FILE',
    },
    key: { type: 'string', description: 'match separately per value of this field', valueName: 'FIELD' },
    time: {
      type: 'string',
      description: 'event time of each event, in ms (a numeric field)',
      valueName: 'FIELD',
    },
    'out-of-orderness': {
      type: 'number',
      min: 0,
      default: 0,
      description: 'how far (ms) events may come out of time order (with --time)',
      valueName: 'MS',
    },
    output: {
      type: 'string',
      description: 'write matches here instead of stdout (NDJSON)',
      valueName: 'FILE',
      writes: true,
      extensions: NDJSON_EXTENSIONS,
    },
    timeouts: {
      type: 'string',
      description: 'write timed-out partial matches here (NDJSON)',
      valueName: 'FILE',
      writes: true,
      extensions: NDJSON_EXTENSIONS,
    },
  },
  examples: [
    'eddy cep --pattern rules.json events.ndjson --key card --time time --out-of-orderness 1000 --output alerts.ndjson',
  ],
  async run(context) {
    const { options } = context;
    const patternPath = options.pattern as string | undefined;
    if (patternPath === undefined) throw new UsageError('--pattern FILE is required');
    const pattern = await readPattern(patternPath);
    const input = context.positionals[0];
    const byteInput =
      input === '-' ? { stream: context.stdin as AsyncIterable<Uint8Array>, name: '<stdin>' } : input;
    const source = ndjsonSource<JsonEvent>(byteInput);
    let stream = DataStream.from(source);
    const timeField = options.time as string | undefined;
    if (timeField !== undefined) {
      const timeOf = fieldOf(timeField);
      stream = stream.assignTimestampsAndWatermarks(
        boundedOutOfOrderness(options.outOfOrderness as number, (event) => {
          const time = timeOf(event);
          if (typeof time !== 'number' || !Number.isFinite(time)) {
            throw new InputError(`no event time in field "${timeField}"`, {
              file: source.name,
              text: JSON.stringify(event),
              expected: `a number of milliseconds in "${timeField}"`,
            });
          }
          return time;
        }),
      );
    }
    const keyField = options.key as string | undefined;
    const keyOf = keyField === undefined ? () => null : fieldOf(keyField);
    let matches = CEP.pattern(
      stream.keyBy((event) => (keyOf(event) ?? null) as JsonValue),
      pattern,
    );
    if (timeField === undefined) matches = matches.inProcessingTime();
    const timeoutsPath = options.timeouts as string | undefined;
    if (timeoutsPath !== undefined) matches = matches.timedOutTo(lineSink(timeoutsPath, context.stdout));
    await matches
      .process<JsonValue>({
        processMatch: (match, { key, timestamp }, out) =>
          out.collect({ key, time: timestamp, match } as unknown as JsonValue),
      })
      .sinkTo(lineSink(options.output as string | undefined, context.stdout));
  },
});
