import type { ProviderFactory } from '../core/types';
import { messageFlow } from './messageflow';
import { openAi } from './openai';
import { smsBridge } from './smsbridge';
import { smsGateway24 } from './smsgateway24';
import { ugsms } from './ugsms';

/**
 * Every emulated provider. Adding one = one file in this folder exporting a `ProviderFactory`
 * plus one line here; the server derives routing, recording, faults and the HTML page from this list.
 */
export const providerFactories: ProviderFactory[] = [
	smsGateway24,
	messageFlow,
	smsBridge,
	ugsms,
	openAi,
];
