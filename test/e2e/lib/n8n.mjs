// Drive a REAL n8n (installed by scripts/install-n8n.sh) from tests.
//
//   const n8n = await prepareN8n({ line: '2.x', tarball: '/abs/n8n-nodes-sms-gateway-0.1.0.tgz' });
//   await n8n.importCredentials([{ id, name, type, data }]);
//   const id = await n8n.importWorkflow(workflowJson);           // id added if missing
//   const r = await n8n.execute(id);                             // `n8n execute --id --rawOutput`
//   r.ok; r.lastNodeOutput; r.output('Node name'); r.error; r.run (full IRun)
//   const srv = await n8n.start();                               // `n8n start` + REST helpers
//   await srv.setupOwner(); await srv.activateWorkflow(id); await srv.webhook('path', {body});
//   await srv.stop(); await n8n.cleanup();
//
// Every instance gets its own N8N_USER_FOLDER (sqlite DB, config, installed package) in a
// temp dir outside the repo, and its own free ports.

import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { assertInstalled, cacheDir } from '../../../scripts/n8n-env.mjs';
import { extractRun, logMessages } from './parse-output.mjs';
import { freePort, runCommand, spawnUntil, tail, waitFor } from './proc.mjs';

export const LINES = ['2.x', '1.x'];

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** n8n-style 16-char alphanumeric id (what n8n generates for workflows/credentials). */
export function n8nId() {
	const bytes = crypto.randomBytes(16);
	let s = '';
	for (const b of bytes) s += ALNUM[b % ALNUM.length];
	return s;
}

/**
 * Environment for a child process that runs npm or n8n.
 * - Inherited N8N_*, DB_*, EXECUTIONS_* etc. are dropped so a developer's shell cannot
 *   change what the test sees.
 * - npm_* variables set by `npm run test:e2e` are dropped: they would leak the repo's npm
 *   context (package name, lifecycle, prefix) into the npm that installs the package.
 * - Node 24 goes first on PATH: n8n spawns `node` for its task runner from PATH in some
 *   versions, and npm's shebang resolves `node` from PATH.
 */
function childEnv(nodeBinDir, extra = {}) {
	const env = {};
	for (const [k, v] of Object.entries(process.env)) {
		if (/^(N8N_|DB_|EXECUTIONS_|QUEUE_|WEBHOOK_URL$|GENERIC_TIMEZONE$|NODE_OPTIONS$|NODE_PATH$)/.test(k)) continue;
		if (/^npm_/i.test(k) && !/^npm_config_(registry|cache|userconfig)$/i.test(k)) continue;
		env[k] = v;
	}
	env.PATH = `${nodeBinDir}${path.delimiter}${process.env.PATH ?? ''}`;
	// Loopback must never go through a proxy, should a developer's shell define one.
	const noProxy = ['127.0.0.1', 'localhost', '::1'];
	for (const k of ['NO_PROXY', 'no_proxy']) {
		env[k] = [env[k], ...noProxy].filter(Boolean).join(',');
	}
	return { ...env, ...extra };
}

/** Base n8n env for a headless, offline, isolated instance. */
function n8nEnv({ line, userFolder, encryptionKey, brokerPort }) {
	const env = {
		N8N_USER_FOLDER: userFolder,
		N8N_ENCRYPTION_KEY: encryptionKey,
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		// Nothing may phone home: no internet here, and some of these calls block start-up or
		// the editor until they time out.
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_DIAGNOSTICS_CONFIG_FRONTEND: '',
		N8N_DIAGNOSTICS_CONFIG_BACKEND: '',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_WHATS_NEW_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_DYNAMIC_BANNERS_ENABLED: 'false',
		N8N_LICENSE_AUTO_RENEW_ENABLED: 'false',
		EXTERNAL_FRONTEND_HOOKS_URLS: '',
		// Community packages: load what we put in <userFolder>/.n8n/nodes, never try to
		// (re)install from the registry.
		N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
		N8N_REINSTALL_MISSING_PACKAGES: 'false',
		// Our simulator listens on 127.0.0.1: SSRF protection would block it. false is the
		// default; set explicitly so a future default flip shows up as a clear diff here.
		N8N_SSRF_PROTECTION_ENABLED: 'false',
		// The task broker defaults to 5679; a parallel `n8n start` or a second line would clash.
		N8N_RUNNERS_BROKER_PORT: String(brokerPort),
		N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
		// One JSON record per log line: lets parse-output.mjs find the result reliably on 2.x
		// (which prints the result through the logger). info level is REQUIRED on 2.x, or the
		// --rawOutput JSON itself is filtered out.
		N8N_LOG_LEVEL: 'info',
		N8N_LOG_OUTPUT: 'console',
		N8N_LOG_FORMAT: 'json',
		NO_COLOR: '1',
		GENERIC_TIMEZONE: 'UTC',
		TZ: 'UTC',
		N8N_SECURE_COOKIE: 'false',
	};
	if (line === '2.x') {
		// The MCP registry module fetches api.n8n.io on start-up (logs ENOTFOUND here).
		// (1.x does not know this module name and would refuse to start with it.)
		env.N8N_DISABLED_MODULES = 'mcp-registry';
	}
	if (line === '1.x') {
		// 1.x defaults to running Code nodes in-process and warns about it; use external-ish
		// runners like 2.x so both lines behave alike. Also silence 1.x deprecation nags.
		env.N8N_RUNNERS_ENABLED = 'true';
		env.DB_SQLITE_POOL_SIZE = '2';
		env.N8N_BLOCK_ENV_ACCESS_IN_NODE = 'true';
		env.N8N_GIT_NODE_DISABLE_BARE_REPOS = 'true';
	}
	return env;
}

/** Read name/version from a tarball without unpacking it to disk. */
async function readTarballManifest(tarball) {
	const r = await runCommand('tar', ['-xzOf', tarball, 'package/package.json']);
	if (r.code !== 0) throw new Error(`cannot read package.json from ${tarball}: ${r.stderr}`);
	return JSON.parse(r.stdout);
}

/**
 * Install a packed community package the way n8n 2.x's CommunityPackagesService does
 * (downloadPackage): untar into nodes/node_modules/<name>, drop dev/peer/optional deps from
 * its package.json, `npm install` inside it with n8n's exact flags, and record it in
 * nodes/package.json. Dropping peerDependencies matters: the package must NOT get its own
 * n8n-workflow, or `instanceof NodeApiError` checks inside n8n break.
 */
export async function installTarball({ nodesDir, tarball, env }) {
	const manifest = await readTarballManifest(tarball);
	const pkgDir = path.join(nodesDir, 'node_modules', ...manifest.name.split('/'));
	await fs.rm(pkgDir, { recursive: true, force: true });
	await fs.mkdir(pkgDir, { recursive: true });
	let r = await runCommand('tar', ['-xzf', tarball, '-C', pkgDir, '--strip-components=1']);
	if (r.code !== 0) throw new Error(`untar ${tarball} failed: ${r.stderr}`);
	const pjPath = path.join(pkgDir, 'package.json');
	const { devDependencies, peerDependencies, optionalDependencies, ...kept } = JSON.parse(
		await fs.readFile(pjPath, 'utf8'),
	);
	await fs.writeFile(pjPath, JSON.stringify(kept, null, 2));
	r = await runCommand(
		'npm',
		[
			'install',
			'--audit=false',
			'--fund=false',
			'--bin-links=false',
			'--install-strategy=shallow',
			'--ignore-scripts=true',
			'--package-lock=false',
			'--loglevel=error',
		],
		{ cwd: pkgDir, env, timeoutMs: 180_000 },
	);
	if (r.code !== 0) throw new Error(`npm install in ${pkgDir} failed:\n${r.stdout}\n${r.stderr}`);
	// The "ledger" n8n keeps next to node_modules (community-packages.service ensurePackageJson).
	const ledgerPath = path.join(nodesDir, 'package.json');
	let ledger = { name: 'installed-nodes', private: true, dependencies: {} };
	if (existsSync(ledgerPath)) {
		try {
			ledger = JSON.parse(await fs.readFile(ledgerPath, 'utf8'));
			ledger.dependencies ??= {};
		} catch {
			/* rebuild below */
		}
	}
	ledger.dependencies[manifest.name] = manifest.version;
	await fs.writeFile(ledgerPath, JSON.stringify(ledger, null, 2));
	return { name: manifest.name, version: manifest.version, dir: pkgDir };
}

/** The items (json, pairedItem, …) a node put on one of its outputs; undefined when it did not run. */
function runDataEntries(run, nodeName, { runIndex, output = 0 } = {}) {
	const runs = run?.data?.resultData?.runData?.[nodeName];
	if (!runs || runs.length === 0) return undefined;
	const taskData = runs[runIndex ?? runs.length - 1];
	const main = taskData?.data?.main;
	if (!main) return [];
	return main[output] ?? [];
}

function runDataItems(run, nodeName, opts) {
	return runDataEntries(run, nodeName, opts)?.map((i) => i.json);
}

/**
 * Wraps one execution result. `ok`: n8n exited cleanly (see the SIGSEGV note below), printed
 * a run, and that run has no workflow-level error and status success.
 */
function makeResult({ proc, run, id }) {
	const resultData = run?.data?.resultData;
	const lastNodeExecuted = resultData?.lastNodeExecuted;
	const error = resultData?.error;
	const nodeErrors = {};
	for (const [name, runs] of Object.entries(resultData?.runData ?? {})) {
		const withErr = runs.find((r) => r.error);
		if (withErr) nodeErrors[name] = withErr.error;
	}
	// n8n 2.x's default expression engine ('vm') runs on isolated-vm 7; on process.exit its
	// thread-pool destructor races a still-running isolate thread and the process dies with
	// SIGSEGV in roughly a third of runs (gdb: ivm::thread_pool_t::~thread_pool_t joining a
	// thread that faults in V8's allocator). That happens AFTER the result was printed and
	// the DB was closed, so a complete, successful run followed by that crash counts as ok;
	// `exitCrash` records it. Any other abnormal exit is a failure.
	const exitCrash = proc.signal === 'SIGSEGV' && !!run && run.finished !== false ? 'SIGSEGV' : undefined;
	const exitedCleanly = proc.code === 0 || !!exitCrash;
	return {
		workflowId: id,
		ok: exitedCleanly && !!run && !error && (run.status === undefined || run.status === 'success'),
		exitCode: proc.code,
		signal: proc.signal,
		exitCrash,
		timedOut: proc.timedOut,
		durationMs: proc.durationMs,
		run,
		status: run?.status,
		runData: resultData?.runData ?? {},
		lastNodeExecuted,
		lastNodeOutput: lastNodeExecuted ? runDataItems(run, lastNodeExecuted) : undefined,
		/** json of each item a node emitted (last run of that node by default). */
		output: (nodeName, opts) => runDataItems(run, nodeName, opts),
		/** The whole items (json, pairedItem, binary) of one output: `{ output: 1 }` is the error output of a node set to "Continue (using error output)". */
		items: (nodeName, opts) => runDataEntries(run, nodeName, opts),
		error,
		nodeErrors,
		stdout: proc.stdout,
		stderr: proc.stderr,
		/** Human-readable log lines (everything that was not the result JSON). */
		logs: () => logMessages(proc.stdout).concat(proc.stderr.split('\n').filter(Boolean)),
	};
}

/**
 * Create an isolated n8n instance folder for `line` and install `tarball(s)` into it.
 * Options:
 *   line        '2.x' | '1.x'
 *   tarball     path to an `npm pack` .tgz (or `tarballs: []` for several)
 *   baseDir     where to create the user folder (default: os.tmpdir())
 *   env         extra env for every n8n process (overrides the defaults)
 *   log         function(msg) for progress lines (default: no output)
 */
export async function prepareN8n({ line = '2.x', tarball, tarballs, baseDir, env: extraEnv = {}, log = () => {} } = {}) {
	const { node24, n8n } = assertInstalled(line);
	const userFolder = await fs.mkdtemp(path.join(baseDir ?? os.tmpdir(), `n8n-e2e-${line}-`));
	const n8nFolder = path.join(userFolder, '.n8n');
	const nodesDir = path.join(n8nFolder, 'nodes');
	await fs.mkdir(nodesDir, { recursive: true });
	const encryptionKey = crypto.randomBytes(24).toString('hex');
	const brokerPort = await freePort();
	const baseEnv = childEnv(node24.binDir, {
		...n8nEnv({ line, userFolder, encryptionKey, brokerPort }),
		...extraEnv,
	});

	const installed = [];
	for (const t of [...(tarballs ?? []), ...(tarball ? [tarball] : [])]) {
		const abs = path.resolve(t);
		log(`installing ${path.basename(abs)} into ${nodesDir}`);
		installed.push(await installTarball({ nodesDir, tarball: abs, env: childEnv(node24.binDir) }));
	}

	/** Run any n8n CLI command under Node 24 in this instance. */
	async function cli(args, { timeoutMs = 120_000, env, onSpawn } = {}) {
		// With NODE_ENV=production n8n sleeps 10 s at start-up when it finds the crash journal
		// a killed/crashed previous command left behind (see the SIGSEGV note in makeResult).
		await fs.rm(path.join(n8nFolder, 'crash.journal'), { force: true });
		return await runCommand(node24.node, [n8n.n8nBin, ...args], {
			cwd: userFolder,
			env: { ...baseEnv, ...env },
			timeoutMs,
			onSpawn,
		});
	}

	function cliFailure(what, r) {
		return new Error(
			`${what} failed on n8n ${line} (exit ${r.code}${r.timedOut ? ', timed out' : ''})\n` +
				`--- stdout ---\n${tail(logMessages(r.stdout).join('\n'))}\n--- stderr ---\n${tail(r.stderr)}`,
		);
	}

	async function writeTemp(prefix, data) {
		const file = path.join(userFolder, `${prefix}-${n8nId()}.json`);
		await fs.writeFile(file, JSON.stringify(data, null, 2));
		return file;
	}

	const instance = {
		line,
		version: n8n.version,
		userFolder,
		n8nFolder,
		nodesDir,
		encryptionKey,
		installed,
		env: baseEnv,
		cli,

		/** Import credentials: array of {id, name, type, data} with `data` in plain text. */
		async importCredentials(creds) {
			const list = (Array.isArray(creds) ? creds : [creds]).map((c) => ({
				id: c.id ?? n8nId(),
				name: c.name ?? c.type,
				...c,
			}));
			const file = await writeTemp('credentials', list);
			const r = await cli(['import:credentials', `--input=${file}`]);
			if (r.code !== 0) throw cliFailure('import:credentials', r);
			return list.map((c) => c.id);
		},

		/**
		 * Import one workflow (or an array). Missing `id`, `name`, `connections`, `settings`,
		 * `active` are filled in. Returns the id (or ids for an array).
		 */
		async importWorkflow(wf) {
			const many = Array.isArray(wf);
			const list = (many ? wf : [wf]).map((w) => ({
				name: w.name ?? `e2e ${n8nId()}`,
				connections: {},
				settings: { executionOrder: 'v1' },
				active: false,
				...w,
				id: w.id ?? n8nId(),
			}));
			const file = await writeTemp('workflows', list);
			const r = await cli(['import:workflow', `--input=${file}`]);
			if (r.code !== 0) throw cliFailure('import:workflow', r);
			const ids = list.map((w) => w.id);
			return many ? ids : ids[0];
		},

		/**
		 * `n8n execute --id=<id> --rawOutput`. Never throws for a failed workflow: check `ok`.
		 * Throws only when no run data could be found at all (n8n crashed before running).
		 * `onSpawn(child)` receives the `n8n execute` process (the benchmark reads its memory).
		 */
		async execute(id, { timeoutMs = 120_000, env, onSpawn } = {}) {
			const proc = await cli(['execute', `--id=${id}`, '--rawOutput'], { timeoutMs, env, onSpawn });
			const run = extractRun(proc.stdout);
			if (!run) throw cliFailure(`execute --id=${id} (no run data in output)`, proc);
			return makeResult({ proc, run, id });
		},

		/** import + execute in one call. */
		async executeWorkflow(wf, opts) {
			const id = await instance.importWorkflow(wf);
			return await instance.execute(id, opts);
		},

		/** Start `n8n start` for trigger tests. See startServer() for the handle. */
		async start(opts = {}) {
			return await startServer({ instance, cliEnv: baseEnv, node24, n8n, ...opts });
		},

		/** Remove the user folder (keep it by setting E2E_KEEP=1 for post-mortems). */
		async cleanup() {
			if (process.env.E2E_KEEP === '1') {
				log(`E2E_KEEP=1: leaving ${userFolder}`);
				return;
			}
			await fs.rm(userFolder, { recursive: true, force: true });
		},
	};
	return instance;
}

/**
 * `n8n start` on a free port, with a cookie-keeping REST client.
 * Handle:
 *   baseUrl, port, child, output()
 *   rest(method, path, body?)           -> { status, body } (path relative to /rest)
 *   request(method, path, body?)        -> same, any path (e.g. /types/nodes.json)
 *   nodeTypes() / credentialTypes()     -> what the editor loads (after setupOwner/login)
 *   createWorkflow(wf)                  -> create over REST (fast; returns the saved workflow)
 *   setupOwner({email,password,...})    -> owner via POST /rest/owner/setup (logs in too)
 *   login({email,password})
 *   getWorkflow(id)
 *   activateWorkflow(id, {webhooks?}) / deactivateWorkflow(id)  (1.x vs 2.x API; waits for webhooks)
 *   waitForWebhook(path, {method})      -> resolves once the production webhook is registered
 *   webhook(path, { method, body, headers, query, test })   -> fetch Response
 *   executions({ workflowId })          -> list from /rest/executions
 *   stop()
 */
export async function startServer({ instance, cliEnv, node24, n8n, port, timeoutMs = 90_000, env = {} }) {
	const httpPort = port ?? (await freePort());
	const brokerPort = await freePort();
	const baseUrl = `http://127.0.0.1:${httpPort}`;
	const child = await spawnUntil(node24.node, [n8n.n8nBin, 'start'], {
		cwd: instance.userFolder,
		env: {
			...cliEnv,
			N8N_PORT: String(httpPort),
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_HOST: '127.0.0.1',
			N8N_PROTOCOL: 'http',
			WEBHOOK_URL: `${baseUrl}/`,
			N8N_EDITOR_BASE_URL: `${baseUrl}/`,
			// A server and a concurrent `n8n execute` each need their own broker port.
			N8N_RUNNERS_BROKER_PORT: String(brokerPort),
			...env,
		},
		readyRe: /Editor is now accessible via/,
		timeoutMs,
	});
	// Neither "n8n ready on" nor /healthz/readiness means the REST controllers are mounted
	// (1.123 answered `Cannot POST /rest/owner/setup` after both). Wait for the "Editor is
	// now accessible" line, then for /rest/settings (no auth, both lines) to return JSON.
	await waitFor(
		async () => {
			const res = await fetch(`${baseUrl}/rest/settings`);
			// While booting, 2.x answers every route with 200 "n8n is starting up. Please wait".
			const body = await res.json().catch(() => undefined);
			return res.ok && body && typeof body === 'object' && body.data;
		},
		{ timeoutMs: 60_000, what: `${baseUrl}/rest/settings` },
	);

	let cookie = '';
	// n8n binds the auth cookie to a `browser-id` header; send the same value every time.
	const browserId = `e2e-${n8nId()}`;
	const owner = { email: 'owner@e2e.test', password: 'E2e-Passw0rd!', firstName: 'E2E', lastName: 'Owner' };

	/** Authenticated request to any path of the server (cookie + browser-id kept). */
	async function request(method, p, body) {
		const res = await fetch(`${baseUrl}${p}`, {
			method,
			headers: {
				'content-type': 'application/json',
				'browser-id': browserId,
				...(cookie ? { cookie } : {}),
			},
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const setCookie = res.headers.getSetCookie?.() ?? [];
		for (const c of setCookie) {
			const [pair] = c.split(';');
			if (pair.startsWith('n8n-auth=')) cookie = pair;
		}
		const text = await res.text();
		let parsed = text;
		try {
			parsed = JSON.parse(text);
		} catch {
			/* keep text */
		}
		return { status: res.status, body: parsed };
	}

	async function rest(method, p, body) {
		return await request(method, `/rest${p}`, body);
	}

	async function expectOk(what, r) {
		if (r.status >= 300) throw new Error(`${what}: HTTP ${r.status} ${JSON.stringify(r.body).slice(0, 500)}`);
		return r.body?.data ?? r.body;
	}

	const server = {
		baseUrl,
		port: httpPort,
		child: child.child,
		output: child.output,
		owner,
		rest,
		request,
		/**
		 * Creates the owner, or logs in as it when an earlier server on the same user folder
		 * already did (several tests start a server on one n8n instance).
		 */
		async setupOwner(o = {}) {
			Object.assign(owner, o);
			const answer = await rest('POST', '/owner/setup', owner);
			if (answer.status === 400 && /already setup/i.test(JSON.stringify(answer.body))) return await server.login();
			return expectOk('owner setup', answer);
		},
		async login(o = {}) {
			Object.assign(owner, o);
			return expectOk(
				'login',
				await rest('POST', '/login', { emailOrLdapLoginId: owner.email, email: owner.email, password: owner.password }),
			);
		},
		/** Node type descriptions the editor sees (needs a logged-in owner). */
		async nodeTypes() {
			return expectOk('node types', await request('GET', '/types/nodes.json'));
		},
		async credentialTypes() {
			return expectOk('credential types', await request('GET', '/types/credentials.json'));
		},
		/** Create a workflow over REST (no CLI boot: ~100 ms instead of ~5 s). Returns it. */
		async createWorkflow(wf) {
			const { id, active, ...body } = wf;
			return expectOk('create workflow', await rest('POST', '/workflows', body));
		},
		async getWorkflow(id) {
			return expectOk(`get workflow ${id}`, await rest('GET', `/workflows/${id}`));
		},
		/**
		 * Activate (1.x) / publish (2.x) a workflow, then wait until its production webhooks
		 * answer: on 2.x registration finishes asynchronously, ~0.5–1.5 s AFTER the activate
		 * call returned (a webhook called right away got 404 "not registered").
		 * `webhooks`: [{ path, method }] or ['path'] (POST) to wait for; by default the paths of
		 * the workflow's n8n-nodes-base.webhook nodes. Community trigger nodes register
		 * `<webhookId>/<their path>`: pass those explicitly.
		 */
		async activateWorkflow(id, { webhooks, timeoutMs = 30_000 } = {}) {
			const wf = await server.getWorkflow(id);
			let saved;
			if (instance.line === '1.x') {
				// 1.x: activation is a PATCH of the `active` flag (with the current versionId).
				saved = await expectOk(`activate ${id}`, await rest('PATCH', `/workflows/${id}`, { active: true, versionId: wf.versionId }));
			} else {
				// 2.x: workflows are "published" through a dedicated endpoint.
				saved = await expectOk(`activate ${id}`, await rest('POST', `/workflows/${id}/activate`, { versionId: wf.versionId }));
			}
			const wanted =
				webhooks ??
				(wf.nodes ?? [])
					.filter((n) => n.type === 'n8n-nodes-base.webhook' && !n.disabled)
					.map((n) => ({ path: n.parameters?.path ?? n.webhookId, method: n.parameters?.httpMethod ?? 'GET' }));
			for (const w of wanted) {
				const spec = typeof w === 'string' ? { path: w } : w;
				await server.waitForWebhook(spec.path, { method: spec.method, timeoutMs });
			}
			return saved;
		},
		/**
		 * Wait until the production webhook `path` is registered, WITHOUT triggering it: probe
		 * with another HTTP method. n8n then answers 404 "This webhook is not registered for
		 * PATCH requests. Did you mean to make a POST request?" once the path exists, and 404
		 * "The requested webhook ... is not registered." before (same text on both lines).
		 */
		async waitForWebhook(p, { method = 'POST', timeoutMs = 30_000 } = {}) {
			const probe = method.toUpperCase() === 'PATCH' ? 'PUT' : 'PATCH';
			const url = `${baseUrl}/webhook/${p.replace(/^\//, '')}`;
			await waitFor(
				async () => {
					const res = await fetch(url, { method: probe });
					const text = await res.text();
					return res.status !== 404 || /Did you mean/.test(text);
				},
				{ timeoutMs, intervalMs: 150, what: `webhook ${method} /webhook/${p} to be registered` },
			);
		},
		async deactivateWorkflow(id) {
			const wf = await server.getWorkflow(id);
			if (instance.line === '1.x') {
				return expectOk(`deactivate ${id}`, await rest('PATCH', `/workflows/${id}`, { active: false, versionId: wf.versionId }));
			}
			return expectOk(`deactivate ${id}`, await rest('POST', `/workflows/${id}/deactivate`, {}));
		},
		/** Call a production (/webhook) or test (/webhook-test) webhook of this server. */
		async webhook(p, { method = 'POST', body, headers = {}, query, test = false } = {}) {
			const url = new URL(`${baseUrl}/${test ? 'webhook-test' : 'webhook'}/${p.replace(/^\//, '')}`);
			for (const [k, v] of Object.entries(query ?? {})) url.searchParams.set(k, v);
			const isRaw = typeof body === 'string' || body instanceof Uint8Array;
			return await fetch(url, {
				method,
				headers: { ...(body !== undefined && !isRaw ? { 'content-type': 'application/json' } : {}), ...headers },
				body: body === undefined ? undefined : isRaw ? body : JSON.stringify(body),
			});
		},
		async executions({ workflowId } = {}) {
			// n8n pages this list, 100 at most a page (2.40.7 and 1.x cut a bigger limit to 100;
			// 2.41 refuses it), newest first. Read every page: 2.41 hands out a `nextCursor`, older
			// lines take `lastId` (the oldest id seen so far). The first page also lists the running
			// executions ahead of the ended ones, so an execution is kept once by its id.
			const all = new Map();
			let next = {};
			for (let page = 0; page < 1000; page++) {
				const query = new URLSearchParams({ limit: '100', ...next });
				if (workflowId) query.set('filter', JSON.stringify({ workflowId }));
				const data = await expectOk('executions', await rest('GET', `/executions?${query}`));
				const results = data?.results ?? data ?? [];
				for (const execution of results) if (!all.has(execution.id)) all.set(execution.id, execution);
				if (data && 'nextCursor' in data) {
					if (!data.nextCursor) break;
					next = { cursor: data.nextCursor };
				} else {
					if (results.length < 100) break;
					next = { lastId: String(results[results.length - 1].id) };
				}
			}
			return [...all.values()];
		},
		/** Full execution (with run data) by id; n8n stores it "flatted", so parse that. */
		async execution(id) {
			return expectOk(`execution ${id}`, await rest('GET', `/executions/${id}`));
		},
		async stop() {
			await child.stop('SIGTERM', 20_000);
		},
	};
	return server;
}

export { cacheDir };
