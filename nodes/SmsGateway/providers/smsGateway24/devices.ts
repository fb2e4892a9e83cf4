import type { IDataObject } from 'n8n-workflow';
import type { z } from 'zod';
import { callSmsGateway24, type SmsGateway24Context } from './transport';
import { devicesAnswer, type device } from './schemas';

export type Device = z.infer<typeof device>;

/** The account's devices as a list (the API keys them by id, or sends [] when there are none). */
export async function listDevices(ctx: SmsGateway24Context, itemIndex?: number): Promise<Device[]> {
	const answer = await callSmsGateway24(ctx, 'getalldevices', {}, devicesAnswer, { itemIndex });
	const devices = answer.device ?? [];
	return Array.isArray(devices) ? devices : Object.values(devices);
}

export function deviceLabel(entry: Device): string {
	const sims = (entry.siminfo ?? []) as IDataObject[];
	const number = sims.map((sim) => String(sim.Number ?? '').trim()).find((value) => value !== '');
	const title = entry.title?.trim() || 'Device';
	return number ? `${title} (${number}, ID ${entry.id})` : `${title} (ID ${entry.id})`;
}
