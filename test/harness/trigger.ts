/**
 * Stand-ins for the parts of n8n that run the trigger nodes: a webhook request handed to
 * webhook() (with n8n's parameter resolution, static data, credentials and a response object that
 * records what the node wrote), and a poll handed to poll() (on top of the execute harness, so
 * credentials, preAuthentication and real HTTP to the simulator work as in the action tests).
 *
 * As with test/harness/n8n.ts, the proof that this matches n8n is the e2e suite in real n8n.
 */
import {
	NodeHelpers,
	type ICredentialType,
	type IDataObject,
	type IExecuteFunctions,
	type INode,
	type INodeExecutionData,
	type INodeParameters,
	type INodeType,
	type IPollFunctions,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';
import { MessageFlowApi } from '../../credentials/MessageFlowApi.credentials';
import { SmsGateway24Api } from '../../credentials/SmsGateway24Api.credentials';
import { SmsGatewayPollTrigger } from '../../nodes/SmsGatewayPollTrigger/SmsGatewayPollTrigger.node';
import { SmsGatewayTrigger } from '../../nodes/SmsGatewayTrigger/SmsGatewayTrigger.node';
import { runNode, type CredentialStore } from './n8n';

function resolveParameters(nodeType: INodeType, parameters: INodeParameters, node: INode): INodeParameters {
	return NodeHelpers.getNodeParameters(nodeType.description.properties, parameters, true, false, node, nodeType.description) ?? {};
}

function valueAt(parameters: INodeParameters, name: string): unknown {
	let value: unknown = parameters;
	for (const part of name.split('.')) value = (value as IDataObject | undefined)?.[part];
	return value;
}

export interface WebhookRequest {
	parameters: INodeParameters;
	/** What n8n's body parser made of the request (object for JSON and forms, string for text). */
	body?: unknown;
	rawBody?: Buffer | string;
	headers?: Record<string, string | string[]>;
	credentials?: CredentialStore;
	/** The node's static data; pass the same object to several calls to model one workflow. */
	staticData?: IDataObject;
	mode?: 'webhook' | 'manual';
	workflowId?: string;
	nodeId?: string;
	timezone?: string;
}

export interface WebhookResult {
	result?: IWebhookResponseData;
	error?: Error;
	/** What the node wrote itself (refusals, duplicates); undefined when n8n would answer. */
	response?: { status: number; headers: Record<string, string>; body: unknown };
	/** json of the items the node handed to n8n (an execution would start with them). */
	items: IDataObject[];
	logs: string[];
}

export async function callWebhook(request: WebhookRequest): Promise<WebhookResult> {
	const nodeType = new SmsGatewayTrigger();
	const node: INode = {
		id: request.nodeId ?? 'trigger-node',
		name: 'SMS Gateway Trigger',
		type: 'n8n-nodes-sms-gateway.smsGatewayTrigger',
		typeVersion: 1,
		position: [0, 0],
		parameters: request.parameters,
		webhookId: 'b3f1c0de-0000-4000-8000-000000000001',
	};
	const parameters = resolveParameters(nodeType, request.parameters, node);
	const staticData = request.staticData ?? {};
	const logs: string[] = [];
	let written: WebhookResult['response'];
	const headersOut: Record<string, string> = {};
	const response = {
		setHeader(name: string, value: string) {
			headersOut[name] = value;
			return response;
		},
		status(status: number) {
			written = { status, headers: headersOut, body: undefined };
			return response;
		},
		json(body: unknown) {
			written = { status: written?.status ?? 200, headers: headersOut, body };
			return response;
		},
		end() {
			return response;
		},
	};
	const context = {
		getNode: () => node,
		getWorkflow: () => ({ id: request.workflowId ?? 'workflow-1', name: 'Test', active: true }),
		getMode: () => request.mode ?? 'webhook',
		getTimezone: () => request.timezone ?? 'UTC',
		getNodeParameter(name: string, fallback?: unknown) {
			const value = valueAt(parameters, name);
			if (value === undefined) {
				if (arguments.length >= 2) return fallback;
				throw new Error(`Could not get parameter "${name}"`);
			}
			return value;
		},
		getBodyData: () => request.body ?? {},
		getHeaderData: () => request.headers ?? {},
		getRequestObject: () => ({ rawBody: typeof request.rawBody === 'string' ? Buffer.from(request.rawBody) : request.rawBody, headers: request.headers ?? {} }),
		getResponseObject: () => response,
		getWorkflowStaticData: () => staticData,
		getCredentials: async (type: string) => {
			const stored = request.credentials?.[type];
			if (!stored) throw new Error(`Node does not have any credentials set for "${type}"`);
			return { ...stored };
		},
		logger: {
			debug: (message: string) => logs.push(message),
			info: (message: string) => logs.push(message),
			warn: (message: string) => logs.push(message),
			error: (message: string) => logs.push(message),
		},
		helpers: {
			returnJsonArray: (data: IDataObject | IDataObject[]) => (Array.isArray(data) ? data : [data]).map((json) => ({ json })),
		},
	} as unknown as IWebhookFunctions;
	try {
		const result = await nodeType.webhook.call(context);
		const items = (result.workflowData?.[0] ?? []).map((item) => item.json);
		return { result, response: result.noWebhookResponse ? written : undefined, items, logs };
	} catch (error) {
		return { error: error as Error, items: [], logs };
	}
}

export interface PollRequest {
	parameters: INodeParameters;
	credentials: CredentialStore;
	/** The saved credentials' ids by type (another id: the trigger switched to another saved credential). */
	credentialIds?: Record<string, string>;
	/** The node's static data; pass the same object to successive polls (n8n keeps it between them). */
	staticData: IDataObject;
	mode?: 'trigger' | 'manual';
	/** n8n 2.x's time budget for the poll; undefined models 1.x, which has none. */
	budgetMs?: number;
	credentialTypes?: ICredentialType[];
	/**
	 * The workflow's id (the trigger keeps the polls of one workflow and node apart). By default
	 * each static data object is a workflow of its own; name one to model n8n 2.x's scheduler,
	 * which hands each poll of one trigger its own copy.
	 */
	workflowId?: string;
}

const workflowIds = new WeakMap<IDataObject, string>();
let workflowCount = 0;

function workflowOf(staticData: IDataObject): string {
	let id = workflowIds.get(staticData);
	if (id === undefined) {
		id = `workflow-${++workflowCount}`;
		workflowIds.set(staticData, id);
	}
	return id;
}

export interface PollResult {
	/** What poll() returned: null when there was nothing new. */
	output: INodeExecutionData[][] | null;
	/** json of the emitted items ([] for null). */
	items: IDataObject[];
	error?: Error;
	logs: string[];
}

/** Runs poll() once, through the execute harness (its credentials and HTTP). */
export async function poll(request: PollRequest): Promise<PollResult> {
	const pollType = new SmsGatewayPollTrigger();
	let output: INodeExecutionData[][] | null = null;
	// runNode drives an execute(); this probe hands its context to poll() with what a poll context adds.
	const probe: INodeType = {
		description: pollType.description,
		async execute(this: IExecuteFunctions) {
			const pollContext = pollContextOf(this);
			output = await pollType.poll.call(pollContext);
			return [[]];
		},
	};
	function pollContextOf(base: IExecuteFunctions): IPollFunctions {
		return Object.assign(Object.create(base) as object, {
			getNodeParameter(name: string, ...rest: unknown[]) {
				// A poll has no items: n8n's poll context reads parameters without an item index.
				return rest.length === 0 ? base.getNodeParameter(name, 0) : base.getNodeParameter(name, 0, rest[0], rest[1] as never);
			},
			getMode: () => request.mode ?? 'trigger',
			getActivationMode: () => 'activate',
			getWorkflowStaticData: () => request.staticData,
			getWorkflow: () => ({ id: request.workflowId ?? workflowOf(request.staticData), name: 'Test', active: true }),
			...(request.budgetMs === undefined ? {} : { getPollBudgetMs: () => request.budgetMs }),
			helpers: {
				...base.helpers,
				returnJsonArray: (data: IDataObject | IDataObject[]) => (Array.isArray(data) ? data : [data]).map((json) => ({ json })),
			},
		}) as unknown as IPollFunctions;
	}
	const run = await runNode({
		nodeType: probe,
		credentialTypes: request.credentialTypes ?? [new SmsGateway24Api(), new MessageFlowApi()],
		credentials: request.credentials,
		credentialIds: request.credentialIds,
		parameters: request.parameters,
	});
	const produced = output as INodeExecutionData[][] | null;
	return { output: produced, items: (produced?.[0] ?? []).map((item) => item.json), error: run.error, logs: run.logs };
}

