import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { NodeHelpers, type INode, type INodeParameters, type INodeProperties, type INodePropertyOptions, type INodeTypeDescription } from 'n8n-workflow';
import { SmsGateway } from '../../nodes/SmsGateway/SmsGateway.node';
import { SmsGatewayPollTrigger } from '../../nodes/SmsGatewayPollTrigger/SmsGatewayPollTrigger.node';
import { SmsGatewayTrigger } from '../../nodes/SmsGatewayTrigger/SmsGatewayTrigger.node';

/**
 * The example workflows as n8n's editor would open them: every parameter they set on this
 * package's nodes is one the node shows for the other values set, and every fixed choice
 * (a dropdown or multi-select value, also inside an options collection) is one the node offers
 * there. A wrong value loads as an "unsupported value" in the editor and fails at run time.
 */
const DESCRIPTIONS: Record<string, INodeTypeDescription> = {
	'n8n-nodes-sms-gateway.smsGateway': new SmsGateway().description,
	'n8n-nodes-sms-gateway.smsGatewayTool': new SmsGateway().description,
	'n8n-nodes-sms-gateway.smsGatewayTrigger': new SmsGatewayTrigger().description,
	'n8n-nodes-sms-gateway.smsGatewayPollTrigger': new SmsGatewayPollTrigger().description,
};

/** Parameters n8n itself adds to these nodes: a tool's description, a poll's schedule. */
const ADDED_BY_N8N = new Set(['descriptionType', 'toolDescription', 'pollTimes']);

const EXAMPLES = path.join(__dirname, '../../examples');
const isExpression = (value: unknown) => typeof value === 'string' && value.startsWith('=');
const choicesOf = (property: INodeProperties) => ((property.options ?? []) as INodePropertyOptions[]).map((option) => option.value);

function problemsIn(node: INode, description: INodeTypeDescription): string[] {
	const problems: string[] = [];
	const resolved = NodeHelpers.getNodeParameters(description.properties, node.parameters, true, false, node, description) ?? {};
	const check = (where: string, value: unknown, property: INodeProperties) => {
		if (isExpression(value)) return;
		if (property.type === 'options' && !choicesOf(property).includes(value as string)) problems.push(`${where}: "${String(value)}" is not offered`);
		if (property.type === 'multiOptions') {
			for (const one of (value as unknown[]) ?? []) if (!isExpression(one) && !choicesOf(property).includes(one as string)) problems.push(`${where}: "${String(one)}" is not offered`);
		}
	};
	for (const [name, value] of Object.entries(node.parameters)) {
		if (ADDED_BY_N8N.has(name)) continue;
		const shown = description.properties.filter((property) => property.name === name && NodeHelpers.displayParameter(resolved as INodeParameters, property, node, description));
		if (shown.length === 0) {
			problems.push(`${name}: not a parameter the node shows here`);
			continue;
		}
		const fits = shown.map((property) => {
			const before = problems.length;
			check(name, value, property);
			if (property.type === 'collection' && value && typeof value === 'object') {
				for (const [option, inner] of Object.entries(value)) {
					const child = ((property.options ?? []) as INodeProperties[]).find((candidate) => candidate.name === option);
					if (!child) problems.push(`${name}.${option}: not an option of ${property.displayName}`);
					else check(`${name}.${option}`, inner, child);
				}
			}
			return problems.splice(before);
		});
		// One definition shown here that takes the value is enough.
		if (fits.every((found) => found.length > 0)) problems.push(...fits[0]);
	}
	return problems;
}

describe('example workflows', () => {
	const files = readdirSync(EXAMPLES).filter((file) => file.endsWith('.json'));

	it('there are examples to check', () => {
		expect(files.length).toBeGreaterThan(10);
	});

	it.each(files)('%s sets only parameters and values the nodes offer', (file) => {
		const workflow = JSON.parse(readFileSync(path.join(EXAMPLES, file), 'utf8')) as { nodes: INode[] };
		const problems = workflow.nodes
			.filter((node) => DESCRIPTIONS[node.type])
			.flatMap((node) => problemsIn(node, DESCRIPTIONS[node.type]).map((problem) => `${node.name} → ${problem}`));
		expect(problems).toEqual([]);
	});
});
