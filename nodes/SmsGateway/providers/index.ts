import type { ProviderId } from '../shared/types';
import { messageFlow } from './messageFlow';
import { smsBridge } from './smsBridge';
import { smsGateway24 } from './smsGateway24';
import { ugsms } from './ugsms';
import type { ProviderDefinition } from './types';

/** Every provider the node offers. Adding one is a folder and a line here. */
export const PROVIDERS: ProviderDefinition[] = [smsGateway24, messageFlow, smsBridge, ugsms];

export function providerById(id: string): ProviderDefinition {
	const provider = PROVIDERS.find((candidate) => candidate.id === id);
	if (!provider) throw new Error(`Unknown provider "${id}"`);
	return provider;
}

export type { ProviderId };
