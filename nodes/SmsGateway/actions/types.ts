import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import type { ProviderDefinition } from '../providers/types';
import type { SendLedger } from '../shared/ledger';

/** What one item produced: output data, or an error with what it concerned (e.g. the recipient). */
export type ItemOutcome = { json: IDataObject } | { error: Error; context?: IDataObject };

export interface OperationContext {
	provider: ProviderDefinition;
	/** Accepted sends of this node run, so Retry On Fail never sends twice. */
	ledger: SendLedger;
}

export interface Operation {
	description: INodeProperties[];
	/** Handles one input item; most operations. */
	execute?: (ctx: IExecuteFunctions, itemIndex: number, context: OperationContext) => Promise<ItemOutcome[]>;
	/**
	 * Handles all input items at once, for operations that batch across items (bulk sending).
	 * Returns each item's outcomes, in item order.
	 */
	executeAll?: (ctx: IExecuteFunctions, items: INodeExecutionData[], context: OperationContext) => Promise<ItemOutcome[][]>;
}
