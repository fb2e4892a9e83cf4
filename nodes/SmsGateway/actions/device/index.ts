import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { deviceStatus } from '../../providers/smsGateway24/account';
import { deviceField } from '../../providers/smsGateway24/fields';
import { listDevices } from '../../providers/smsGateway24/devices';
import { readDeviceId } from '../../providers/smsGateway24/send';
import { showOnlyFor } from '../../shared/descriptions';
import type { Operation } from '../types';

/** Devices: the Android phones of an SMSGateway24 account. */
const show = { provider: ['smsGateway24'], resource: ['device'] };

const getMany: Operation = {
	description: [],
	async execute(ctx, itemIndex) {
		const devices = await listDevices(ctx, itemIndex);
		return devices.map((device) => {
			const raw = device as IDataObject;
			return {
				json: {
					deviceId: device.id,
					title: device.title ?? null,
					sims: ((device.siminfo ?? []) as IDataObject[]).map((sim) => ({
						slot: Number(sim.Slot),
						number: String(sim.Number ?? '').trim() || null,
						carrier: sim.CarrierName ?? null,
						// The app reports the ISO code in lower case ("de"); the node writes country codes in
						// upper case everywhere else (Default Country), so a mapped value reads the same.
						country: String(sim.CountryIso ?? '').trim().toUpperCase() || null,
						roaming: String(sim.Roaming) === '1',
					})),
					lastSeen: (raw.lastseen as IDataObject | undefined)?.date ?? null,
					appVersion: raw.appversion ?? null,
					raw,
				},
			};
		});
	},
};

const getStatus: Operation = {
	description: showOnlyFor({ ...show, operation: ['getStatus'] }, [deviceField]),
	async execute(ctx, itemIndex) {
		return [{ json: await deviceStatus(ctx, itemIndex, readDeviceId(ctx, itemIndex)) }];
	},
};

export const operations: Record<string, Operation> = { getMany, getStatus };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show },
		options: [
			{ name: 'Get Many', value: 'getMany', action: 'Get many devices', description: 'List the phones of the account, with their SIM cards' },
			{ name: 'Get Status', value: 'getStatus', action: 'Get the status of a device', description: 'Whether a phone is online, and when it was last seen' },
		],
		default: 'getMany',
	},
	...getStatus.description,
];
