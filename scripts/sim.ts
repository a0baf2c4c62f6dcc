/**
 * Runs the Raft fault simulator over a range of seeds.
 *
 *   npm run sim -- --seeds 2000 --from 1        run seeds 1..2000
 *   npm run sim -- --seed 1234 --trace          replay one seed with a trace
 *   npm run sim -- --seeds 2000 --plant NAME    run with a planted bug (must fail)
 *   npm run sim -- --list-plants                print planted bug names
 *
 * Exits 1 when any invariant breaks.
 */
import { PLANT_NAMES, isPlantName } from '../src/core/raft/plants.js';
import type { PlantName } from '../src/core/raft/plants.js';
import { runSeed } from '../test/sim/simulator.js';

function main(argv: string[]): number {
  let seeds = 1000;
  let from = 1;
  let steps: number | undefined;
  let plant: PlantName | undefined;
  let trace = false;
  let keepGoing = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const val = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--list-plants') {
      for (const p of PLANT_NAMES) console.log(p);
      return 0;
    } else if (a === '--seeds') seeds = Number(val());
    else if (a === '--from') from = Number(val());
    else if (a === '--seed') {
      from = Number(val());
      seeds = 1;
    } else if (a === '--steps') steps = Number(val());
    else if (a === '--plant') {
      const p = val();
      if (!isPlantName(p)) {
        console.error(`unknown plant ${p}; try --list-plants`);
        return 2;
      }
      plant = p;
    } else if (a === '--trace') trace = true;
    else if (a === '--keep-going') keepGoing = true;
    else {
      console.error(`unknown argument ${a}`);
      return 2;
    }
  }
  const started = performance.now();
  let failures = 0;
  const totals = { elections: 0, acked: 0, reads: 0, crashes: 0, snapshotsSent: 0, confChanges: 0, transfers: 0, messages: 0 };
  for (let s = from; s < from + seeds; s++) {
    const res = runSeed({
      seed: s,
      ...(steps !== undefined ? { steps } : {}),
      ...(plant ? { plant } : {}),
      ...(trace ? { trace: (l: string) => console.log(l) } : {}),
    });
    for (const k of Object.keys(totals) as (keyof typeof totals)[]) totals[k] += res.stats[k];
    if (!res.ok) {
      failures++;
      console.log(`seed ${s} FAILED at step ${res.step}: ${res.violation}`);
      console.log(`  replay: npm run sim -- --seed ${s}${plant ? ` --plant ${plant}` : ''} --trace`);
      if (!keepGoing) break;
    }
  }
  const ms = performance.now() - started;
  console.log(
    `${failures === 0 ? 'ok' : 'FAILED'}: seeds ${from}..${from + seeds - 1}${plant ? ` plant=${plant}` : ''}, ` +
      `${failures} failing, ${(ms / 1000).toFixed(1)}s\n` +
      `  ${totals.elections} elections, ${totals.acked} acknowledged writes, ${totals.reads} linearizable reads, ` +
      `${totals.crashes} crashes, ${totals.snapshotsSent} snapshots sent, ${totals.confChanges} membership changes, ` +
      `${totals.transfers} leadership transfers, ${totals.messages} messages`,
  );
  return failures === 0 ? 0 : 1;
}

process.exitCode = main(process.argv.slice(2));
