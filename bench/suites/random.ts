/** How fast the seeded random source draws, against Math.random (which cannot be seeded). */
import { random } from '../../src/core/random.js';
import { machineDescription, median, timeRuns } from '../timing.js';

export async function run(): Promise<void> {
  const count = 5_000_000;
  const out = new Float64Array(count);
  const seeded = median(
    await timeRuns(() => {
      const rng = random(1);
      for (let i = 0; i < count; i++) out[i] = rng.uniform();
    }),
  );
  const builtin = median(
    await timeRuns(() => {
      for (let i = 0; i < count; i++) out[i] = Math.random();
    }),
  );
  console.log(machineDescription());
  console.log(
    `uniform draws: random(seed) ${(count / seeded / 1e3).toFixed(1)}M/s, Math.random ${(count / builtin / 1e3).toFixed(1)}M/s (ratio ${(seeded / builtin).toFixed(2)}x)`,
  );
}
