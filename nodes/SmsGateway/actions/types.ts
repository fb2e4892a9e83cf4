import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import type { ProviderDefinition } from '../providers/types';

/** What one item produced: output data, or an error with what it concerned (e.g. the recipient). */
export type ItemOutcome = { json: IDataObject } | { error: Error; context?: IDataObject };

export interface Operation {
	description: INodeProperties[];
	/** Handles one input item; most operations. */
	execute?: (ctx: IExecuteFunctions, itemIndex: number, provider: ProviderDefinition) => Promise<ItemOutcome[]>;
	/**
	 * Handles all input items at once, for operations that batch across items (bulk sending).
	 * It must return outcomes paired to their items itself.
	 */
	executeAll?: (ctx: IExecuteFunctions, items: INodeExecutionData[], provider: ProviderDefinition) => Promise<INodeExecutionData[]>;
}
