import { type CommandEntry, type CommandSpec, commonOptions, type OptionSpec } from './command.js';

function optionLabel(name: string, spec: OptionSpec): string {
  const short = spec.short ? `-${spec.short}, ` : '    ';
  const value =
    spec.type === 'boolean' ? '' : ` ${spec.valueName ?? (spec.type === 'string' ? 'VALUE' : 'N')}`;
  return `${short}--${name}${value}`;
}

function optionLines(options: Readonly<Record<string, OptionSpec>>): string[] {
  const labels = Object.entries(options).map(([name, spec]) => [optionLabel(name, spec), spec] as const);
  const width = Math.max(...labels.map(([label]) => label.length));
  return labels.map(([label, spec]) => {
    let text = spec.description;
    if (spec.choices) text += ` (${[...(spec.type === 'string' ? [] : ['N']), ...spec.choices].join(' | ')})`;
    if (spec.default !== undefined && spec.default !== false) text += ` [default: ${spec.default}]`;
    return `  ${label.padEnd(width)}  ${text}`;
  });
}

/** The text of `eddy --help`. */
export function mainHelp(commands: readonly CommandEntry[], version: string): string {
  const width = Math.max(...commands.map((c) => c.name.length), 8);
  return [
    `eddy ${version}: graph and machine-learning analytics on Node.js`,
    '',
    'Usage: eddy <command> [input] [options]',
    '       eddy <command> --help      options of one command, with their defaults',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Options:',
    '  -h, --help     show this help',
    '  -v, --version  print the version',
    '',
    'Input "-" reads stdin. Exit codes: 0 success, 1 runtime error, 2 bad usage.',
    '',
  ].join('\n');
}

/** The text of `eddy <command> --help`. */
export function commandHelp(command: CommandSpec): string {
  const positionals = (command.positionals ?? []).map((p) =>
    p.required === false ? `[${p.name}]` : `<${p.name}>`,
  );
  const lines = [
    `Usage: eddy ${command.name}${positionals.length ? ` ${positionals.join(' ')}` : ''} [options]`,
    '',
    command.summary,
  ];
  if (command.description) lines.push('', command.description);
  if (command.positionals?.length) {
    lines.push('', 'Arguments:');
    const width = Math.max(...command.positionals.map((p) => p.name.length));
    for (const p of command.positionals) lines.push(`  ${p.name.padEnd(width)}  ${p.description}`);
  }
  if (Object.keys(command.options).length) lines.push('', 'Options:', ...optionLines(command.options));
  lines.push('', 'Common options:', ...optionLines(commonOptions));
  if (command.examples?.length) lines.push('', 'Examples:', ...command.examples.map((e) => `  ${e}`));
  lines.push('');
  return lines.join('\n');
}
