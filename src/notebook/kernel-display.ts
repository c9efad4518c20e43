import { realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { EddyError } from '../core/errors.js';

/** Where rich output goes: one MIME type and its content per call (tslab's `display.raw`). */
export interface NotebookDisplay {
  raw(contentType: string, content: string): void;
}

/** Raised when a `show` helper is used outside the tslab kernel. */
export class NotInKernelError extends EddyError {}

interface TslabModule {
  display: NotebookDisplay;
}

/**
 * The `tslab` module of the kernel this process runs. Output only reaches the notebook
 * through the very copy of tslab that runs the kernel (it holds the channel in a module
 * variable), so the copy next to the kernel's own script (`process.argv[1]`, a global or a
 * project install) comes first, and the one eddy itself resolves second.
 */
function loadTslab(): TslabModule {
  const bases: string[] = [];
  const script = process.argv[1];
  if (script) {
    try {
      bases.push(realpathSync(script));
    } catch {
      // No such file (an embedded or eval'd entry point): only eddy's own resolution is left.
    }
  }
  bases.push(import.meta.url);
  for (const base of bases) {
    try {
      return createRequire(base)('tslab') as TslabModule;
    } catch {
      // Not resolvable from there; try the next base.
    }
  }
  throw new NotInKernelError(
    "eddy/notebook: the 'tslab' module cannot be found; show.* displays inside the tslab Jupyter kernel " +
      '(npm run notebooks). Outside it, use htmlTable() and renderSvg(), which return strings.',
  );
}

let kernelDisplay: NotebookDisplay | undefined;

/** The display of the running tslab kernel, found on first use. */
export function tslabDisplay(): NotebookDisplay {
  if (kernelDisplay === undefined) {
    const { display } = loadTslab();
    kernelDisplay = {
      raw(contentType, content) {
        try {
          display.raw(contentType, content);
        } catch (error) {
          // tslab throws a bare "Not ready" when it is loaded but no kernel is running.
          throw new NotInKernelError(
            `eddy/notebook: cannot display ${contentType} outside a running tslab kernel (${(error as Error).message}); ` +
              'outside notebooks, use htmlTable() and renderSvg(), which return strings.',
          );
        }
      },
    };
  }
  return kernelDisplay;
}
