/**
 * `npx tsx simulator/cli.ts [--port 4010] [--host 127.0.0.1] [--latency 25] [--status-step-ms 3000]
 *  [--max-list-size N] [--seed JSON]` — runs the simulator until SIGINT/SIGTERM.
 * `--seed` takes per-provider seed overrides as JSON, e.g. '{"ugsms":{"balance":100000}}' (the
 * benchmark needs a UGSMS balance that covers 2,000 messages).
 */
import { startSimulator, type SimulatorOptions } from './server';

const USAGE =
	'usage: tsx simulator/cli.ts [--port 4010] [--host 127.0.0.1] [--latency MS] [--status-step-ms MS] [--max-list-size N] [--seed JSON]';

function parseArgs(argv: string[]): SimulatorOptions {
	const opts: SimulatorOptions = { port: 4010 };
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		const [flag, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
		if (flag === '--help' || flag === '-h') {
			console.log(USAGE);
			process.exit(0);
		}
		const value = inline ?? argv[++i];
		if (value === undefined) throw new Error(`${flag} needs a value\n${USAGE}`);
		const num = (): number => {
			const n = Number(value);
			if (!Number.isFinite(n) || n < 0) throw new Error(`${flag} expects a non-negative number, got ${value}`);
			return n;
		};
		switch (flag) {
			case '--port':
				opts.port = num();
				break;
			case '--host':
				opts.host = value;
				break;
			case '--latency':
				opts.latencyMs = num();
				break;
			case '--status-step-ms':
				opts.statusStepMs = num();
				break;
			case '--max-list-size':
				opts.maxListSize = num();
				break;
			case '--seed': {
				let seed: unknown;
				try {
					seed = JSON.parse(value);
				} catch {
					throw new Error(`--seed expects JSON, got ${value}\n${USAGE}`);
				}
				if (seed === null || typeof seed !== 'object' || Array.isArray(seed)) throw new Error(`--seed expects a JSON object keyed by provider name\n${USAGE}`);
				opts.seed = seed as SimulatorOptions['seed'];
				break;
			}
			default:
				throw new Error(`unknown option ${flag}\n${USAGE}`);
		}
	}
	return opts;
}

async function main(): Promise<void> {
	const opts = parseArgs(process.argv.slice(2));
	const sim = await startSimulator(opts);
	// Scripts (e2e, demo) wait for this exact line; keep it first and unchanged.
	console.log(`SMS gateway simulator listening on ${sim.url}`);
	for (const [name, seed] of Object.entries(sim.describeSeed())) {
		console.log(`  ${name}: ${JSON.stringify(seed)}`);
	}
	console.log(`  overview: ${sim.url}/   control API: ${sim.url}/__sim/`);

	let stopping = false;
	const stop = (signal: string): void => {
		if (stopping) return;
		stopping = true;
		console.log(`received ${signal}, stopping simulator`);
		sim.close().then(
			() => process.exit(0),
			(err: Error) => {
				console.error(err);
				process.exit(1);
			},
		);
	};
	process.on('SIGINT', () => stop('SIGINT'));
	process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: Error) => {
	console.error(err.message);
	process.exit(1);
});
