// Reads a finished execution back from the n8n instance's own database.
//
// Why not the `--rawOutput` JSON that `n8n execute` prints: with 2,000 items the run is several
// megabytes, n8n 2.x prints it through its (asynchronous) logger and then exits, and in a fair
// share of runs the process is gone before the line is written — the figures would be lost, and a
// retry would send everything twice. n8n saves every CLI execution (status, start and stop time,
// run data with each node's executionTime) before it prints anything, so the database is the
// reliable record. It is read with n8n's own sqlite3 and flatted (n8n stores run data "flatted"),
// under the Node 24 that runs n8n, and only a small summary comes back.

import { spawnSync } from 'node:child_process';
import path from 'node:path';

const READER = `
const [n8nModules, dbFile, workflowId, nodeName, afterId] = process.argv.slice(1);
const sqlite3 = require(n8nModules + '/sqlite3');
const { parse } = require(n8nModules + '/flatted');
const db = new sqlite3.Database(dbFile, sqlite3.OPEN_READONLY);
const sql = 'SELECT e.id, e.status, e.startedAt, e.stoppedAt, d.data FROM execution_entity e ' +
  'JOIN execution_data d ON d.executionId = e.id WHERE e.workflowId = ? AND e.id > ? ORDER BY e.id DESC LIMIT 1';
db.get(sql, [workflowId, Number(afterId)], (queryError, row) => {
  if (queryError) { console.error(queryError.message); process.exit(2); }
  if (!row) { process.stdout.write('null'); return; }
  const data = parse(row.data);
  const resultData = data.resultData ?? {};
  const task = resultData.runData?.[nodeName]?.[0];
  const items = task?.data?.main?.[0] ?? [];
  const failure = task?.error ?? resultData.error;
  const times = Object.fromEntries(Object.entries(resultData.runData ?? {}).map(([name, runs]) => [name, runs[0]?.executionTime]));
  process.stdout.write(JSON.stringify({
    id: row.id,
    status: row.status,
    startedAt: row.startedAt,
    stoppedAt: row.stoppedAt,
    nodeMs: task?.executionTime ?? null,
    nodeStartedAt: task?.startTime ?? null,
    nodeTimes: times,
    outputItems: items.length,
    errorItems: items.filter((i) => i.json && i.json.error !== undefined).length,
    error: failure ? String(failure.message ?? failure).split('\\n')[0].slice(0, 160) : undefined,
  }));
  db.close();
});
`;

/** The last saved execution of `workflowId` with an id above `afterId` (null when there is none). */
export function readExecution(n8n, { node24, n8nPkg }, workflowId, nodeName, afterId = 0) {
	const modules = path.join(n8nPkg, '..');
	const dbFile = path.join(n8n.n8nFolder, 'database.sqlite');
	const r = spawnSync(node24, ['-e', READER, modules, dbFile, workflowId, nodeName, String(afterId)], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
	if (r.status !== 0) throw new Error(`reading execution of ${workflowId} from ${dbFile} failed: ${r.stderr}`);
	return JSON.parse(r.stdout);
}

/** SQLite keeps times as 'YYYY-MM-DD HH:MM:SS.mmm' in UTC. */
export function durationMs(startedAt, stoppedAt) {
	const parse = (s) => Date.parse(`${String(s).replace(' ', 'T')}Z`);
	const ms = parse(stoppedAt) - parse(startedAt);
	return Number.isFinite(ms) ? ms : null;
}
