import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';
import { deviceLabel, listDevices } from '../providers/smsGateway24/devices';

/** Devices of the SMSGateway24 account, for every Device field; the filter matches name, number or ID. */
export async function searchDevices(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const wanted = filter?.trim().toLowerCase() ?? '';
	const results = (await listDevices(this))
		.map((device) => ({ name: deviceLabel(device), value: device.id }))
		.filter((entry) => wanted === '' || entry.name.toLowerCase().includes(wanted));
	return { results };
}
