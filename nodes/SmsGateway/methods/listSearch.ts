import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';
import { deviceLabel, listDevices } from '../providers/smsGateway24/devices';

/** Devices of the SMSGateway24 account, for every Device field; the filter matches name, number or ID. */
export async function searchDevices(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const wanted = filter?.trim().toLowerCase() ?? '';
	const results = (await listDevices(this))
		.map((device) => ({
			entry: { name: deviceLabel(device), value: device.id },
			// The label shows only the first SIM's number; a phone with two SIMs is found by either.
			numbers: ((device.siminfo ?? []) as IDataObject[]).map((sim) => String(sim.Number ?? '').trim().toLowerCase()),
		}))
		.filter(({ entry, numbers }) => wanted === '' || entry.name.toLowerCase().includes(wanted) || numbers.some((number) => number !== '' && number.includes(wanted)))
		.map(({ entry }) => entry);
	return { results };
}
