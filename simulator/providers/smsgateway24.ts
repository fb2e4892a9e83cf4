/**
 * SMSGateway24 emulation (seed 003, providers.md §1). Mounted at `/smsgateway24`, so a credential's Base URL
 * is `<simulator>/smsgateway24` and methods live at `<simulator>/smsgateway24/getdata/<method>`.
 *
 * Behaviour the real API does not publish is decided here and listed in simulator/README.md; when changing
 * one of those choices, change the README too.
 */
import { randomBytes } from 'node:crypto';
import {
	humanDateTime,
	isRealDate,
	isValidTimeZone,
	parseUtc,
	phpDateObject,
	sqlDateTime,
} from '../core/time';
import type {
	FieldValue,
	HtmlHelpers,
	IncomingInput,
	ProviderContext,
	ProviderFactory,
	ProviderInstance,
	ProviderRequest,
	ProviderResponse,
	UploadedFile,
} from '../core/types';
// The accounts the simulator is seeded with: one file, read by the e2e suites, the demo and the bench too.
import ACCOUNTS from '../accounts.json';

export const SMSGATEWAY24 = 'smsgateway24';

/** The one message every invalid, unknown, expired or revoked token gets (see README). */
export const SG24_TOKEN_ERROR = 'Token is not valid';
export const SG24_LOGIN_ERROR = 'Login or password incorrect';

export interface Sg24SimInfo {
	Slot: string;
	IccId: string;
	Number: string;
	Roaming: string;
	CountryIso: string;
	CarrierName: string;
}

export interface Sg24DeviceSeed {
	id: number;
	title: string;
	number: string | null;
	imei: string;
	/** UTC, `YYYY-MM-DD HH:MM:SS`. */
	created: string;
	/** An online device's "last seen" follows the clock (a few seconds ago); an offline one keeps `lastseen`. */
	online: boolean;
	/** UTC, `YYYY-MM-DD HH:MM:SS`; ignored while online. */
	lastseen: string;
	serialnumber: string;
	siminfo: Sg24SimInfo[];
	appversion: string;
	isappversionactual: boolean;
	delaybetweeneachsms: number | null;
	delaybetweenrequest: number | null;
	subscription: boolean;
}

export interface SmsGateway24Seed {
	email: string;
	password: string;
	/** A token as pasted from the web panel: valid until revoked with `expire-tokens` + `includePanelToken`. */
	panelToken: string;
	devices: Sg24DeviceSeed[];
	firstSmsId: number;
	firstTagId: number;
	firstContactId: number;
	firstPaketId: number;
	/** Zone of dates in answers when the call gives no `timezone`. */
	timezone: string;
	/** Login tokens expire this long after `gettoken`; 0 = only via the control endpoint. */
	tokenTtlMs: number;
	/** PHP's json_encode turns an empty array into `[]`; getallsms answers `"smss":[]` when nothing matches. */
	emptyListAsArray: boolean;
	/**
	 * The field savecontact reads the tag from. The seed's table names `ctag_id`, the official PHP
	 * example sends `tag_id`; which one the real server reads is unknown. `either` (default) takes
	 * both; `ctag_id` or `tag_id` takes only that one, so tests can hold a client to each reading.
	 */
	contactTagField: 'either' | 'ctag_id' | 'tag_id';
}

export const SG24_DEFAULT_SEED: SmsGateway24Seed = {
	...ACCOUNTS.smsGateway24,
	devices: [
		{
			id: 260,
			title: 'Office Pixel',
			number: '+4915752982212',
			imei: '356938035643809',
			created: '2023-05-14 09:12:44',
			online: true,
			lastseen: '2025-01-01 00:00:00',
			serialnumber: '9B071FFAZ00D3K',
			siminfo: [
				{
					Slot: '0',
					IccId: '8949226172233934327',
					Number: '+4915752982212',
					Roaming: '0',
					CountryIso: 'de',
					CarrierName: 'Telekom.de',
				},
				{
					Slot: '1',
					IccId: '8949022300001184231',
					Number: '+4917612345678',
					Roaming: '0',
					CountryIso: 'de',
					CarrierName: 'Vodafone.de',
				},
			],
			appversion: '12.4.3',
			isappversionactual: true,
			delaybetweeneachsms: 5,
			delaybetweenrequest: 10,
			subscription: true,
		},
		{
			id: 1576,
			title: 'Warehouse Emulator',
			number: null,
			imei: '358240051111110',
			created: '2020-03-28 20:10:29',
			online: false,
			lastseen: '2020-04-23 17:02:21',
			serialnumber: 'EMULATOR30X0X5X0',
			siminfo: [
				{
					Slot: '0',
					IccId: '89014103211118510720',
					Number: ' 15555215554',
					Roaming: '0',
					CountryIso: 'us',
					CarrierName: 'Android (T-Mobile)',
				},
			],
			appversion: '12.1.21',
			isappversionactual: false,
			delaybetweeneachsms: null,
			delaybetweenrequest: 1,
			subscription: false,
		},
	],
	firstSmsId: 62807347,
	firstTagId: 8303,
	firstContactId: 15954765,
	firstPaketId: 41022,
	timezone: 'UTC',
	tokenTtlMs: 0,
	emptyListAsArray: true,
	contactTagField: 'either',
};

/** Status id → [statustitle as getallsms prints it, status_description as getsmsstatus prints it]. */
export const SG24_STATUSES: Record<number, [string, string]> = {
	1: ['new', 'New'],
	2: ['sending', 'Sending'],
	3: ['queued', 'Queued'],
	5: ['incoming', 'Incoming'],
	6: ['sent', 'Sent'],
	7: ['delivered', 'Delivered'],
	8: ['not delivered', 'Not delivered'],
	9: ['failed', 'Failed'],
	10: ['no service', 'Not sent: no service'],
	11: ['null pdu', 'Not sent: null PDU'],
	12: ['radio off', 'Not sent: radio off'],
	100: ['no permission', 'Not sent: no SMS permission'],
	101: ['no permission', 'Not sent: no SMS permission'],
};

function statusTitle(status: number): string {
	return SG24_STATUSES[status]?.[0] ?? 'unknown';
}
function statusDescription(status: number): string {
	return SG24_STATUSES[status]?.[1] ?? 'Unknown';
}

/** Test outcomes chosen by the recipient's last digits (README "Outcome by number"). */
export type Sg24Outcome = 'delivered' | 'failed' | 'undelivered' | 'stuck';

const PATHS: Record<Sg24Outcome, number[]> = {
	delivered: [1, 3, 2, 6, 7],
	failed: [1, 3, 2, 9],
	undelivered: [1, 3, 2, 6, 8],
	stuck: [1],
};

export function sg24OutcomeFor(recipient: string): Sg24Outcome {
	const digits = recipient.replace(/\D/g, '');
	if (digits.endsWith('0000')) return 'failed';
	if (digits.endsWith('1111')) return 'undelivered';
	if (digits.endsWith('2222')) return 'stuck';
	return 'delivered';
}

export interface Sg24Message {
	id: number;
	direction: 'out' | 'in';
	source: 'addsms' | 'smstosend' | 'addalotofsms' | 'incoming';
	deviceId: number;
	/** Recipient for outgoing, sender address for incoming (that is what getallsms shows in `sendto`). */
	sendto: string;
	body: string;
	sim: number;
	status: number;
	customerid: number | null;
	urgent: number | null;
	timetosend: string | null;
	createdAt: number;
	sentAt: number | null;
	fileUrl: string | null;
	outcome: Sg24Outcome;
	lastStepAt: number;
	history: { status: number; at: string }[];
	/** Recorded request that created the message (0 for control-endpoint injections). */
	requestSeq: number;
	/** Incoming only: id the phone's own SMS database gave the message. */
	internalId: number | null;
	imageUrl: string | null;
}

export interface Sg24Tag {
	id: number;
	title: string;
	createdAt: string;
}
export interface Sg24Contact {
	id: number;
	phone: string;
	fullname: string;
	tagId: number;
	createdAt: string;
}
export interface Sg24Newsletter {
	id: number;
	title: string;
	deviceId: number;
	body: string;
	tags: number[];
	sim: number;
	timeToSend: string | null;
	createdAt: string;
}
export interface Sg24StoredFile {
	name: string;
	originalName: string;
	mime: string;
	size: number;
	data: Buffer;
	url: string;
}
export interface Sg24WebhookConfig {
	deliveryUrl?: string;
	incomingUrl?: string;
	headers: Record<string, string>;
}

export interface Sg24State {
	/** Login tokens → issue time. */
	tokens: Map<string, number>;
	panelTokenRevoked: boolean;
	messages: Map<number, Sg24Message>;
	tags: Map<number, Sg24Tag>;
	contacts: Map<number, Sg24Contact>;
	newsletters: Map<number, Sg24Newsletter>;
	files: Map<string, Sg24StoredFile>;
	webhooks: Map<number, Sg24WebhookConfig>;
	nextSmsId: number;
	nextTagId: number;
	nextContactId: number;
	nextPaketId: number;
	nextInternalId: number;
}

const ALLOWED_IMAGES: Record<string, string> = {
	'image/jpeg': 'jpg',
	'image/jpg': 'jpg',
	'image/pjpeg': 'jpg',
	'image/png': 'png',
	'image/webp': 'webp',
	'image/gif': 'gif',
};
const EXTENSION_MIME: Record<string, string> = {
	jpg: 'image/jpeg',
	jpeg: 'image/jpeg',
	png: 'image/png',
	webp: 'image/webp',
	gif: 'image/gif',
};
const MAX_FILE_BYTES = 10 * 1024 * 1024;

/** Thrown inside a handler to answer `{"error":1,"message":...}`; keeps validation code linear. */
class ApiError extends Error {}

function ok(json: unknown): ProviderResponse {
	return { status: 200, json };
}
function apiError(message: string): ProviderResponse {
	return { status: 200, json: { error: 1, message } };
}

function fieldText(value: FieldValue | undefined): string | undefined {
	if (value === undefined || value === null) return undefined;
	if (typeof value === 'string') return value;
	if (typeof value === 'number' || typeof value === 'boolean') return String(value);
	return JSON.stringify(value);
}

/** PHP's `empty()`-style presence: an empty string is missing too. */
function required(fields: Record<string, FieldValue>, name: string): string {
	const value = fieldText(fields[name]);
	if (value === undefined || value.trim() === '') throw new ApiError(`Required field is missing: ${name}`);
	return value;
}

function optional(fields: Record<string, FieldValue>, name: string): string | undefined {
	const value = fieldText(fields[name]);
	return value === undefined || value.trim() === '' ? undefined : value;
}

function toInt(value: string, name: string): number {
	if (!/^\s*-?\d+\s*$/.test(value)) throw new ApiError(`Field ${name} must be an integer`);
	return Number.parseInt(value, 10);
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})(?: (\d{2}):(\d{2})(?::(\d{2}))?)?$/;

/** Accepts `YYYY-MM-DD`, `YYYY-MM-DD HH:MM` (the official PHP example sends that) and `YYYY-MM-DD HH:MM:SS`. */
function parseSqlDate(value: string): { date: string; hasTime: boolean } | undefined {
	const m = DATE_RE.exec(value.trim());
	if (!m) return undefined;
	if (!isRealDate(Number(m[1]), Number(m[2]), Number(m[3]))) return undefined;
	if (m[4] !== undefined && (Number(m[4]) > 23 || Number(m[5]) > 59 || Number(m[6] ?? '0') > 59)) return undefined;
	const date = `${m[1]}-${m[2]}-${m[3]}`;
	if (m[4] === undefined) return { date, hasTime: false };
	return { date: `${date} ${m[4]}:${m[5]}:${m[6] ?? '00'}`, hasTime: true };
}

/** `DD.MM.YYYY H:i:s` (PHP: H and i and s are two-digit). */
function parsePaketDate(value: string): string | undefined {
	const m = /^(\d{2})\.(\d{2})\.(\d{4}) (\d{2}):(\d{2}):(\d{2})$/.exec(value.trim());
	if (!m) return undefined;
	if (!isRealDate(Number(m[3]), Number(m[2]), Number(m[1]))) return undefined;
	if (Number(m[4]) > 23 || Number(m[5]) > 59 || Number(m[6]) > 59) return undefined;
	return value.trim();
}

function randomHex(bytes: number): string {
	return randomBytes(bytes).toString('hex');
}

interface ValidatedSms {
	recipients: string[];
	body: string;
	deviceId: number;
	sim: number;
	timetosend: string | null;
	customerid: number | null;
	urgent: number | null;
}

export class SmsGateway24Provider implements ProviderInstance {
	readonly name = SMSGATEWAY24;
	readonly title = 'SMSGateway24';
	readonly seed: SmsGateway24Seed;
	state!: Sg24State;

	constructor(private readonly ctx: ProviderContext) {
		const overrides = (ctx.seed ?? {}) as Partial<SmsGateway24Seed>;
		this.seed = { ...SG24_DEFAULT_SEED, ...overrides };
		if (!isValidTimeZone(this.seed.timezone)) throw new Error(`smsgateway24 seed: unknown timezone ${this.seed.timezone}`);
		this.reset();
	}

	reset(): void {
		this.state = {
			tokens: new Map(),
			panelTokenRevoked: false,
			messages: new Map(),
			tags: new Map(),
			contacts: new Map(),
			newsletters: new Map(),
			files: new Map(),
			webhooks: new Map(),
			nextSmsId: this.seed.firstSmsId,
			nextTagId: this.seed.firstTagId,
			nextContactId: this.seed.firstContactId,
			nextPaketId: this.seed.firstPaketId,
			nextInternalId: 1201,
		};
	}

	// ---- HTTP -------------------------------------------------------------------------------------

	async handle(request: ProviderRequest): Promise<ProviderResponse> {
		const match = /^\/getdata\/([A-Za-z0-9_]+)\/?$/.exec(request.path);
		if (!match) return { status: 404, json: { error: 1, message: `Not found: ${request.path}` } };
		const method = match[1].toLowerCase();
		const handler = this.methods[method];
		if (!handler) return { status: 404, json: { error: 1, message: `Unknown method ${method}` } };
		try {
			return handler(request);
		} catch (err) {
			if (err instanceof ApiError) return apiError(err.message);
			throw err;
		}
	}

	private readonly methods: Record<string, (r: ProviderRequest) => ProviderResponse> = {
		gettoken: (r) => this.getToken(r),
		addsms: (r) => this.addSms(r, 'addsms'),
		smstosend: (r) => this.addSms(r, 'smstosend'),
		addalotofsms: (r) => this.addALotOfSms(r),
		getallsms: (r) => this.getAllSms(r),
		getsmsstatus: (r) => this.getSmsStatus(r),
		getalldevices: (r) => this.getAllDevices(r),
		getdevicestatus: (r) => this.getDeviceStatus(r),
		savetag: (r) => this.saveTag(r),
		savecontact: (r) => this.saveContact(r),
		savepaket: (r) => this.savePaket(r),
	};

	serveStatic(path: string): ProviderResponse | undefined {
		const m = /^\/files\/([^/]+)$/.exec(path);
		if (!m) return undefined;
		const file = this.state.files.get(decodeURIComponent(m[1]));
		if (!file) return { status: 404, raw: 'Not Found', contentType: 'text/plain; charset=utf-8' };
		return { status: 200, raw: file.data, contentType: file.mime };
	}

	authErrorResponse(): ProviderResponse {
		return apiError(SG24_TOKEN_ERROR);
	}

	// ---- auth ---------------------------------------------------------------------------------------

	private tokenIsValid(token: string | undefined): boolean {
		if (!token) return false;
		if (token === this.seed.panelToken) return !this.state.panelTokenRevoked;
		const issued = this.state.tokens.get(token);
		if (issued === undefined) return false;
		if (this.seed.tokenTtlMs > 0 && this.ctx.now() - issued > this.seed.tokenTtlMs) {
			this.state.tokens.delete(token);
			return false;
		}
		return true;
	}

	private requireToken(token: string | undefined): void {
		if (!this.tokenIsValid(token?.trim())) throw new ApiError(SG24_TOKEN_ERROR);
	}

	private requireLogin(fields: Record<string, FieldValue>): void {
		const email = optional(fields, 'email');
		const pass = optional(fields, 'pass');
		if (email === undefined) throw new ApiError('Required field is missing: email');
		if (pass === undefined) throw new ApiError('Required field is missing: pass');
		if (email.trim().toLowerCase() !== this.seed.email.toLowerCase() || pass !== this.seed.password) {
			throw new ApiError(SG24_LOGIN_ERROR);
		}
	}

	private getToken(r: ProviderRequest): ProviderResponse {
		this.requireLogin(r.fields);
		const token = randomHex(16);
		this.state.tokens.set(token, this.ctx.now());
		return ok({ error: 0, message: 'OK', token });
	}

	expireTokens(options: { includeStatic?: boolean }): void {
		this.state.tokens.clear();
		if (options.includeStatic) this.state.panelTokenRevoked = true;
	}

	// ---- sending ------------------------------------------------------------------------------------

	private device(id: number): Sg24DeviceSeed {
		const device = this.seed.devices.find((d) => d.id === id);
		if (!device) throw new ApiError('Device not found');
		return device;
	}

	/** Shared by addsms, smstosend and every addalotofsms element, so all three validate alike. */
	private validateSms(fields: Record<string, FieldValue>, hasFile: boolean, simRequired: boolean): ValidatedSms {
		const sendto = required(fields, 'sendto');
		const recipients = sendto
			.split(',')
			.map((s) => s.trim())
			.filter((s) => s !== '');
		if (recipients.length === 0) throw new ApiError('Required field is missing: sendto');
		const body = hasFile ? (optional(fields, 'body') ?? '') : required(fields, 'body');
		const deviceId = toInt(required(fields, 'device_id'), 'device_id');
		const simText = simRequired ? required(fields, 'sim') : (optional(fields, 'sim') ?? '0');
		const sim = toInt(simText, 'sim');
		if (sim < 0 || sim > 5) {
			throw new ApiError('Wrong sim. Use 0 or 1 (SIM slot), 2 (WhatsApp Business), 3 (WhatsApp), 4 or 5 (RCS)');
		}
		this.device(deviceId);
		let timetosend: string | null = null;
		const tts = optional(fields, 'timetosend');
		if (tts !== undefined) {
			const parsed = parseSqlDate(tts);
			if (!parsed) throw new ApiError('Wrong timetosend format. Use YYYY-MM-DD or YYYY-MM-DD HH:MM:SS');
			timetosend = parsed.hasTime ? parsed.date : `${parsed.date} 00:00:00`;
		}
		const customer = optional(fields, 'customerid');
		const customerid = customer === undefined ? null : toInt(customer, 'customerid');
		const urgentText = optional(fields, 'urgent');
		let urgent: number | null = null;
		if (urgentText !== undefined) {
			urgent = toInt(urgentText, 'urgent');
			if (urgent !== 0 && urgent !== 1) throw new ApiError('Field urgent must be 0 or 1');
		}
		return { recipients, body, deviceId, sim, timetosend, customerid, urgent };
	}

	private storeFile(file: UploadedFile): Sg24StoredFile {
		const ext = file.filename.toLowerCase().split('.').pop() ?? '';
		let mime = file.mime.toLowerCase();
		if (!(mime in ALLOWED_IMAGES) && (mime === 'application/octet-stream' || mime === '') && ext in EXTENSION_MIME) {
			mime = EXTENSION_MIME[ext];
		}
		if (!(mime in ALLOWED_IMAGES)) throw new ApiError('File type is not allowed. Allowed types: jpeg, png, webp, gif');
		if (file.data.length === 0) throw new ApiError('File is empty');
		if (file.data.length > MAX_FILE_BYTES) throw new ApiError('File is too large');
		const name = `${randomHex(8)}.${ALLOWED_IMAGES[mime]}`;
		const stored: Sg24StoredFile = {
			name,
			originalName: file.filename,
			mime,
			size: file.data.length,
			data: file.data,
			url: `${this.ctx.providerUrl()}/files/${name}`,
		};
		this.state.files.set(name, stored);
		return stored;
	}

	private createOutgoing(sms: ValidatedSms, source: Sg24Message['source'], requestSeq: number, fileUrl: string | null): number[] {
		const now = this.ctx.now();
		const ids: number[] = [];
		for (const recipient of sms.recipients) {
			const id = this.state.nextSmsId++;
			this.state.messages.set(id, {
				id,
				direction: 'out',
				source,
				deviceId: sms.deviceId,
				sendto: recipient,
				body: fileUrl ?? sms.body,
				sim: sms.sim,
				status: 1,
				customerid: sms.customerid,
				urgent: sms.urgent,
				timetosend: sms.timetosend,
				createdAt: now,
				sentAt: null,
				fileUrl,
				outcome: sg24OutcomeFor(recipient),
				lastStepAt: now,
				history: [{ status: 1, at: new Date(now).toISOString() }],
				requestSeq,
				internalId: null,
				imageUrl: null,
			});
			ids.push(id);
		}
		return ids;
	}

	private addSms(r: ProviderRequest, source: 'addsms' | 'smstosend'): ProviderResponse {
		if (source === 'addsms') this.requireToken(fieldText(r.fields.token));
		else this.requireLogin(r.fields);
		const file = r.files.find((f) => f.field === 'file');
		const sms = this.validateSms(r.fields, file !== undefined, true);
		// Validate everything before storing the file, so a rejected call leaves nothing behind.
		const stored = file ? this.storeFile(file) : undefined;
		const ids = this.createOutgoing(sms, source, r.seq, stored?.url ?? null);
		return ok({ error: 0, sms_id: ids[0], message: 'Sms has been saved successfully' });
	}

	private addALotOfSms(r: ProviderRequest): ProviderResponse {
		const raw = r.fields.datajson;
		if (raw === undefined || raw === '') throw new ApiError('Required field is missing: datajson');
		let data: unknown = raw;
		if (typeof raw === 'string') {
			try {
				data = JSON.parse(raw);
			} catch {
				throw new ApiError('Field datajson is not valid JSON');
			}
		}
		if (!data || typeof data !== 'object' || Array.isArray(data)) throw new ApiError('Field datajson must be a JSON object');
		const payload = data as Record<string, FieldValue>;
		this.requireToken(fieldText(payload.token) ?? fieldText(r.fields.token));
		const list = payload.smsdata;
		if (!Array.isArray(list) || list.length === 0) throw new ApiError('Field smsdata must be a non-empty array');
		// All-or-nothing: validate every element before creating any (README: no partial batches).
		const validated = list.map((item, index) => {
			if (!item || typeof item !== 'object' || Array.isArray(item)) throw new ApiError(`smsdata[${index}]: must be an object`);
			try {
				return this.validateSms(item as Record<string, FieldValue>, false, false);
			} catch (err) {
				if (err instanceof ApiError) throw new ApiError(`smsdata[${index}]: ${err.message}`);
				throw err;
			}
		});
		let count = 0;
		for (const sms of validated) count += this.createOutgoing(sms, 'addalotofsms', r.seq, null).length;
		return ok({ error: 0, message: `${count} sms have been saved successfully` });
	}

	// ---- reading ------------------------------------------------------------------------------------

	private messageJson(m: Sg24Message, tz: string): Record<string, unknown> {
		return {
			id: m.id,
			sendto: m.sendto,
			body: m.body,
			customerid: m.customerid,
			status: m.status,
			statustitle: statusTitle(m.status),
			deviceid: m.deviceId,
			urgent: m.urgent,
			created: phpDateObject(m.createdAt, tz),
			senttime: m.sentAt === null ? null : sqlDateTime(m.sentAt, tz),
			timetosend: m.timetosend,
			sim: m.sim,
			paketid: null,
			pakettitle: null,
			paketbody: null,
		};
	}

	private getAllSms(r: ProviderRequest): ProviderResponse {
		const f = r.fields;
		this.requireToken(fieldText(f.token));
		const tzText = optional(f, 'timezone');
		const tz = tzText?.trim() ?? this.seed.timezone;
		if (!isValidTimeZone(tz)) throw new ApiError(`Unknown timezone ${tz}`);

		const deviceText = optional(f, 'device_id');
		const deviceId = deviceText === undefined ? undefined : toInt(deviceText, 'device_id');
		const statusText = optional(f, 'status');
		const status = statusText === undefined ? undefined : toInt(statusText, 'status');
		const simText = optional(f, 'sim');
		const sim = simText === undefined ? undefined : toInt(simText, 'sim');
		const customerText = optional(f, 'customerid');
		const customerid = customerText === undefined ? undefined : toInt(customerText, 'customerid');
		const phoneDigits = optional(f, 'phone')?.replace(/\D/g, '');

		// Dates compare as wall-clock strings in the requested zone; a bare date covers its whole day.
		const bound = (name: string, endOfDay: boolean): string | undefined => {
			const text = optional(f, name);
			if (text === undefined) return undefined;
			const parsed = parseSqlDate(text);
			if (!parsed) throw new ApiError(`Wrong ${name} format. Use YYYY-MM-DD or YYYY-MM-DD HH:MM:SS`);
			return parsed.hasTime ? parsed.date : `${parsed.date} ${endOfDay ? '23:59:59' : '00:00:00'}`;
		};
		const begin = bound('begindate', false);
		const end = bound('enddate', true);

		let list = [...this.state.messages.values()].filter((m) => {
			if (deviceId !== undefined && m.deviceId !== deviceId) return false;
			if (status !== undefined && m.status !== status) return false;
			if (sim !== undefined && m.sim !== sim) return false;
			if (customerid !== undefined && m.customerid !== customerid) return false;
			if (phoneDigits && !m.sendto.replace(/\D/g, '').includes(phoneDigits)) return false;
			if (begin !== undefined || end !== undefined) {
				const created = sqlDateTime(m.createdAt, tz);
				if (begin !== undefined && created < begin) return false;
				if (end !== undefined && created > end) return false;
			}
			return true;
		});
		list.sort((a, b) => a.id - b.id);
		if (optional(f, 'orderbydesc') === '1') list.reverse();
		const count = list.length;

		if (optional(f, 'onlycount') === '1') return ok({ error: 0, count });

		if (list.length > this.ctx.maxListSize) list = list.slice(0, this.ctx.maxListSize);
		// Built by hand: JSON.stringify would reorder integer-like keys ascending and lose `orderbydesc`.
		let smss: string;
		if (list.length === 0 && this.seed.emptyListAsArray) smss = '[]';
		else smss = `{${list.map((m) => `${JSON.stringify(String(m.id))}:${JSON.stringify(this.messageJson(m, tz))}`).join(',')}}`;
		return {
			status: 200,
			raw: `{"error":0,"count":${count},"smss":${smss}}`,
			contentType: 'application/json; charset=utf-8',
		};
	}

	private getSmsStatus(r: ProviderRequest): ProviderResponse {
		this.requireToken(fieldText(r.fields.token));
		const id = toInt(required(r.fields, 'sms_id'), 'sms_id');
		const message = this.state.messages.get(id);
		if (!message) throw new ApiError('Sms not found');
		return ok({
			error: 0,
			sms_id: message.id,
			status: message.status,
			status_description: statusDescription(message.status),
			message: 'Ok',
		});
	}

	private lastSeenMs(device: Sg24DeviceSeed): number {
		// "Online" means the app polled moments ago; four seconds keeps diffseconds small but non-zero.
		return device.online ? this.ctx.now() - 4000 : parseUtc(device.lastseen);
	}

	private deviceJson(device: Sg24DeviceSeed): Record<string, unknown> {
		const created = parseUtc(device.created);
		const lastseen = this.lastSeenMs(device);
		return {
			id: device.id,
			title: device.title,
			number: device.number,
			imei: device.imei,
			created: phpDateObject(created, 'UTC'),
			createdhumanformat: humanDateTime(created, 'UTC'),
			lastseen: phpDateObject(lastseen, 'UTC'),
			lastseenhumanformat: humanDateTime(lastseen, 'UTC'),
			serialnumber: device.serialnumber,
			siminfo: device.siminfo.map((s) => ({ ...s })),
			appversion: device.appversion,
			isappversionactual: device.isappversionactual,
			delaybetweeneachsms: device.delaybetweeneachsms,
			delaybetweenrequest: device.delaybetweenrequest,
			subscription: device.subscription,
		};
	}

	private getAllDevices(r: ProviderRequest): ProviderResponse {
		this.requireToken(fieldText(r.fields.token));
		const device: Record<string, unknown> = {};
		for (const d of this.seed.devices) device[String(d.id)] = this.deviceJson(d);
		// The documented answer has no `error` member; keep it that way so clients cope with its absence.
		return ok({ count: this.seed.devices.length, device });
	}

	private getDeviceStatus(r: ProviderRequest): ProviderResponse {
		this.requireToken(fieldText(r.fields.token));
		const device = this.device(toInt(required(r.fields, 'device_id'), 'device_id'));
		const lastseen = this.lastSeenMs(device);
		return ok({
			error: 0,
			online: device.online,
			device_id: device.id,
			lastseen: phpDateObject(lastseen, 'UTC'),
			diffseconds: Math.max(0, Math.floor((this.ctx.now() - lastseen) / 1000)),
			title: device.title,
		});
	}

	// ---- tags, contacts, newsletters ---------------------------------------------------------------

	private saveTag(r: ProviderRequest): ProviderResponse {
		this.requireToken(fieldText(r.fields.token));
		const title = required(r.fields, 'title');
		const id = this.state.nextTagId++;
		this.state.tags.set(id, { id, title, createdAt: new Date(this.ctx.now()).toISOString() });
		return ok({ error: 0, tag_id: id, message: 'OK' });
	}

	private saveContact(r: ProviderRequest): ProviderResponse {
		this.requireToken(fieldText(r.fields.token));
		const phone = required(r.fields, 'phone');
		// The seed's table says `ctag_id` while providers.md and the official example send `tag_id`:
		// by default either is taken; the seed option holds clients to one (see contactTagField).
		const mode = this.seed.contactTagField;
		const fieldName = mode === 'either' ? (optional(r.fields, 'tag_id') !== undefined ? 'tag_id' : 'ctag_id') : mode;
		const tagText = optional(r.fields, fieldName);
		if (tagText === undefined) throw new ApiError(`Required field is missing: ${mode === 'either' ? 'tag_id' : mode}`);
		const tagId = toInt(tagText, fieldName);
		if (!this.state.tags.has(tagId)) throw new ApiError('Tag not found');
		const fullname = optional(r.fields, 'fullname') ?? '';
		const id = this.state.nextContactId++;
		this.state.contacts.set(id, { id, phone, fullname, tagId, createdAt: new Date(this.ctx.now()).toISOString() });
		return ok({ error: 0, contact_id: id, message: 'ok' });
	}

	private savePaket(r: ProviderRequest): ProviderResponse {
		this.requireToken(fieldText(r.fields.token));
		const title = required(r.fields, 'title');
		const deviceId = toInt(required(r.fields, 'device_id'), 'device_id');
		const body = required(r.fields, 'body');
		const tagsText = required(r.fields, 'tags');
		this.device(deviceId);
		const tags = tagsText
			.split(',')
			.map((t) => t.trim())
			.filter((t) => t !== '')
			.map((t) => toInt(t, 'tags'));
		if (tags.length === 0) throw new ApiError('Required field is missing: tags');
		for (const tag of tags) if (!this.state.tags.has(tag)) throw new ApiError(`Tag not found: ${tag}`);
		const simText = optional(r.fields, 'sim');
		const sim = simText === undefined ? 0 : toInt(simText, 'sim');
		if (sim < 0 || sim > 5) throw new ApiError('Wrong sim. Use 0 or 1 (SIM slot), 2 (WhatsApp Business), 3 (WhatsApp), 4 or 5 (RCS)');
		const ttsText = optional(r.fields, 'time_to_send');
		let timeToSend: string | null = null;
		// `0` is the documented default ("int, default = 0"): send as soon as started on the phone.
		if (ttsText !== undefined && ttsText.trim() !== '0') {
			const parsed = parsePaketDate(ttsText);
			if (!parsed) throw new ApiError('Wrong time_to_send format. Use DD.MM.YYYY H:i:s, e.g. 26.05.2026 12:10:04');
			timeToSend = parsed;
		}
		const id = this.state.nextPaketId++;
		this.state.newsletters.set(id, {
			id,
			title,
			deviceId,
			body,
			tags,
			sim,
			timeToSend,
			createdAt: new Date(this.ctx.now()).toISOString(),
		});
		return ok({ error: 0, paket_id: id, message: 'OK' });
	}

	// ---- progression and webhooks --------------------------------------------------------------------

	private setStatus(m: Sg24Message, status: number, now: number): void {
		m.status = status;
		m.lastStepAt = now;
		m.history.push({ status, at: new Date(now).toISOString() });
		if (status === 6 && m.sentAt === null) m.sentAt = now;
		this.sendDeliveryWebhook(m);
	}

	/** One step along the message's path; false when it is at the end (or off-path after a forced status). */
	private step(m: Sg24Message, now: number): boolean {
		if (m.direction !== 'out') return false;
		const path = PATHS[m.outcome];
		const index = path.indexOf(m.status);
		if (index < 0 || index === path.length - 1) return false;
		this.setStatus(m, path[index + 1], now);
		return true;
	}

	advance(steps: number): void {
		const now = this.ctx.now();
		for (const m of this.state.messages.values()) {
			for (let i = 0; i < steps; i++) if (!this.step(m, now)) break;
		}
	}

	advanceDue(now: number, stepMs: number): void {
		for (const m of this.state.messages.values()) {
			while (now - m.lastStepAt >= stepMs) {
				const due = m.lastStepAt + stepMs;
				if (!this.step(m, due)) break;
			}
		}
	}

	setMessageStatus(messageId: string, status: number | string): unknown {
		const m = this.state.messages.get(Number(messageId));
		if (!m) throw new Error(`smsgateway24: no message ${messageId}`);
		const value = Number(status);
		if (!Number.isInteger(value)) throw new Error('smsgateway24: status must be an integer status id');
		this.setStatus(m, value, this.ctx.now());
		return this.messageSnapshot(m);
	}

	injectIncoming(input: IncomingInput): unknown {
		const deviceId = input.deviceId === undefined ? this.seed.devices[0]?.id : Number(input.deviceId);
		const device = this.seed.devices.find((d) => d.id === deviceId);
		if (!device) throw new Error(`smsgateway24: unknown device ${String(input.deviceId)}`);
		if (!input.from) throw new Error('smsgateway24: incoming message needs `from`');
		const now = this.ctx.now();
		const id = this.state.nextSmsId++;
		const m: Sg24Message = {
			id,
			direction: 'in',
			source: 'incoming',
			deviceId: device.id,
			sendto: input.from,
			body: input.imageUrl ? '' : (input.body ?? ''),
			sim: input.sim ?? 0,
			status: 5,
			customerid: null,
			urgent: null,
			timetosend: null,
			createdAt: now,
			sentAt: null,
			fileUrl: null,
			outcome: 'delivered',
			lastStepAt: now,
			history: [{ status: 5, at: new Date(now).toISOString() }],
			requestSeq: 0,
			internalId: this.state.nextInternalId++,
			imageUrl: input.imageUrl ?? null,
		};
		this.state.messages.set(id, m);
		this.sendIncomingWebhook(m, device);
		return this.messageSnapshot(m);
	}

	configureWebhooks(config: Record<string, unknown>): unknown {
		const deviceIds =
			config.deviceId === undefined || config.deviceId === null
				? this.seed.devices.map((d) => d.id)
				: [Number(config.deviceId)];
		for (const id of deviceIds) {
			if (!this.seed.devices.some((d) => d.id === id)) throw new Error(`smsgateway24: unknown device ${String(config.deviceId)}`);
		}
		const headers: Record<string, string> = {};
		if (config.headers && typeof config.headers === 'object') {
			for (const [k, v] of Object.entries(config.headers as Record<string, unknown>)) headers[k] = String(v);
		}
		const basic = config.basicAuth as { username?: unknown; password?: unknown } | undefined;
		if (basic && typeof basic === 'object') {
			const token = Buffer.from(`${String(basic.username ?? '')}:${String(basic.password ?? '')}`).toString('base64');
			headers.Authorization = `Basic ${token}`;
		}
		for (const id of deviceIds) {
			const current = this.state.webhooks.get(id) ?? { headers: {} };
			// `null` removes a URL, `undefined` keeps it: lets a test change one hook without restating the other.
			if (config.deliveryUrl !== undefined) current.deliveryUrl = config.deliveryUrl === null ? undefined : String(config.deliveryUrl);
			if (config.incomingUrl !== undefined) current.incomingUrl = config.incomingUrl === null ? undefined : String(config.incomingUrl);
			if (config.headers !== undefined || config.basicAuth !== undefined) current.headers = headers;
			this.state.webhooks.set(id, current);
		}
		return this.webhookConfig();
	}

	webhookConfig(): unknown {
		return [...this.state.webhooks.entries()].map(([deviceId, c]) => ({ deviceId, ...c }));
	}

	private sendDeliveryWebhook(m: Sg24Message): void {
		const config = this.state.webhooks.get(m.deviceId);
		if (!config?.deliveryUrl || m.direction !== 'out') return;
		const tz = this.seed.timezone;
		this.ctx.sendWebhook({
			provider: this.name,
			kind: 'delivery',
			url: config.deliveryUrl,
			headers: config.headers,
			payload: {
				sms_id: m.id,
				status_id: m.status,
				status_message: statusDescription(m.status),
				sendto: m.sendto,
				senttime: m.sentAt === null ? null : sqlDateTime(m.sentAt, tz),
				channel_id: m.sim,
				device_id: m.deviceId,
			},
		});
	}

	private sendIncomingWebhook(m: Sg24Message, device: Sg24DeviceSeed): void {
		const config = this.state.webhooks.get(m.deviceId);
		if (!config?.incomingUrl) return;
		const tz = this.seed.timezone;
		const received = sqlDateTime(m.createdAt, tz);
		// The phone reports when the network delivered it; a few seconds before the server saw it is realistic.
		const sent = sqlDateTime(m.createdAt - 3000, tz);
		const payload: Record<string, unknown> = {
			address: m.sendto,
			date: received,
			date_sent: sent,
			body: m.body,
			internal_id: m.internalId,
			channel_id: m.sim,
			sms_id: m.id,
			device_id: device.id,
			device_name: device.title,
			type: m.imageUrl ? 'img' : 'text',
		};
		if (m.imageUrl) payload.img_url = m.imageUrl;
		this.ctx.sendWebhook({ provider: this.name, kind: 'incoming', url: config.incomingUrl, headers: config.headers, payload });
	}

	// ---- inspection ------------------------------------------------------------------------------------

	private messageSnapshot(m: Sg24Message): Record<string, unknown> {
		return {
			id: m.id,
			direction: m.direction,
			source: m.source,
			deviceId: m.deviceId,
			sendto: m.sendto,
			body: m.body,
			sim: m.sim,
			status: m.status,
			statusTitle: statusTitle(m.status),
			outcome: m.direction === 'out' ? m.outcome : undefined,
			customerid: m.customerid,
			urgent: m.urgent,
			timetosend: m.timetosend,
			createdAt: new Date(m.createdAt).toISOString(),
			sentAt: m.sentAt === null ? null : new Date(m.sentAt).toISOString(),
			fileUrl: m.fileUrl,
			imageUrl: m.imageUrl,
			requestSeq: m.requestSeq,
			history: m.history.map((h) => ({ ...h })),
		};
	}

	snapshot(): unknown {
		return {
			messages: [...this.state.messages.values()].map((m) => this.messageSnapshot(m)),
			tags: [...this.state.tags.values()],
			contacts: [...this.state.contacts.values()],
			newsletters: [...this.state.newsletters.values()],
			devices: this.seed.devices.map((d) => this.deviceJson(d)),
			files: [...this.state.files.values()].map(({ name, originalName, mime, size, url }) => ({ name, originalName, mime, size, url })),
			activeTokens: this.state.tokens.size,
			panelTokenRevoked: this.state.panelTokenRevoked,
			webhooks: this.webhookConfig(),
		};
	}

	describeSeed(): Record<string, unknown> {
		return {
			baseUrl: this.ctx.providerUrl(),
			email: this.seed.email,
			password: this.seed.password,
			panelToken: this.seed.panelToken,
			devices: this.seed.devices.map((d) => `${d.id} ${d.title} (${d.online ? 'online' : 'offline'})`),
		};
	}

	renderHtml(h: HtmlHelpers): string {
		const all = [...this.state.messages.values()].sort((a, b) => b.id - a.id);
		const outbox = all.filter((m) => m.direction === 'out').slice(0, 100);
		const inbox = all.filter((m) => m.direction === 'in').slice(0, 100);
		const bodyCell = (m: Sg24Message): string => {
			const url = m.fileUrl ?? m.imageUrl;
			const img = url ? `<a href="${h.escape(url)}"><img src="${h.escape(url)}" alt="image" class="thumb"></a> ` : '';
			return img + h.escape(m.fileUrl ? '' : m.body);
		};
		const statusCell = (m: Sg24Message): string =>
			`<span class="st st-${m.status}">${m.status} ${h.escape(statusTitle(m.status))}</span>`;
		const devices = h.table(
			['id', 'title', 'state', 'SIMs', 'app'],
			this.seed.devices.map((d) => [
				String(d.id),
				h.escape(d.title),
				d.online ? '<span class="on">online</span>' : `<span class="off">offline since ${h.escape(d.lastseen)}</span>`,
				h.escape(d.siminfo.map((s) => `${s.Slot}: ${s.Number.trim()} (${s.CarrierName})`).join(', ')),
				h.escape(d.appversion),
			]),
		);
		const out = h.table(
			['id', 'to', 'body', 'device', 'sim', 'status', 'created', 'via'],
			outbox.map((m) => [
				String(m.id),
				h.escape(m.sendto),
				bodyCell(m),
				String(m.deviceId),
				String(m.sim),
				statusCell(m),
				h.escape(new Date(m.createdAt).toISOString()),
				h.escape(m.source),
			]),
		);
		const inb = h.table(
			['id', 'from', 'body', 'device', 'received'],
			inbox.map((m) => [String(m.id), h.escape(m.sendto), bodyCell(m), String(m.deviceId), h.escape(new Date(m.createdAt).toISOString())]),
		);
		const tags = h.table(
			['tag id', 'title', 'contacts'],
			[...this.state.tags.values()].map((t) => [
				String(t.id),
				h.escape(t.title),
				h.escape(
					[...this.state.contacts.values()]
						.filter((c) => c.tagId === t.id)
						.map((c) => `${c.fullname} ${c.phone}`.trim())
						.join(', '),
				),
			]),
		);
		const pakets = h.table(
			['paket id', 'title', 'device', 'tags', 'time to send', 'body'],
			[...this.state.newsletters.values()].map((p) => [
				String(p.id),
				h.escape(p.title),
				String(p.deviceId),
				h.escape(p.tags.join(',')),
				h.escape(p.timeToSend ?? 'on start'),
				h.escape(p.body),
			]),
		);
		const tokenInfo = `${this.state.tokens.size} login token(s) active; panel token ${this.state.panelTokenRevoked ? 'revoked' : 'valid'}`;
		return [
			`<p class="muted">Login <code>${h.escape(this.seed.email)}</code> / <code>${h.escape(this.seed.password)}</code>, panel token <code>${h.escape(this.seed.panelToken)}</code>. ${h.escape(tokenInfo)}.</p>`,
			`<h3>Devices</h3>${devices}`,
			`<h3>Outbox (${outbox.length})</h3>${out}`,
			`<h3>Inbox (${inbox.length})</h3>${inb}`,
			`<h3>Tags and contacts</h3>${tags}`,
			`<h3>Newsletters</h3>${pakets}`,
		].join('\n');
	}
}

export const smsGateway24: ProviderFactory = {
	name: SMSGATEWAY24,
	create: (ctx) => new SmsGateway24Provider(ctx),
};
