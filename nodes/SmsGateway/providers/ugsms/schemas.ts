import { z } from 'zod';

/**
 * UGSMS answers (Laravel). Success: {"success": true, "message": "...", "data": {...}}; errors carry
 * `error` and sometimes `help`, or Laravel's own `message` (+ `errors` per field) for what the
 * framework answers itself (429, unknown routes, a stock 422). Only what the node reads is checked;
 * everything else passes through to the output's `raw`.
 */
const money = z.union([z.number(), z.string()]).nullable().optional();

export const envelope = z
	.object({
		success: z.boolean().optional(),
		message: z.string().nullable().optional(),
		error: z.string().nullable().optional(),
		help: z.string().nullable().optional(),
		errors: z.record(z.union([z.array(z.string()), z.string()])).nullable().optional(),
		data: z.unknown().optional(),
	})
	.passthrough();

export type Envelope = z.infer<typeof envelope>;

export const sent = z
	.object({
		message_id: z
			.union([z.string(), z.number()])
			.transform((value) => String(value))
			.nullable()
			.optional(),
		recipients: z.union([z.number(), z.string()]).nullable().optional(),
		estimated_cost: money,
		remaining_balance: money,
	})
	.passthrough();

export const balance = z
	.object({
		balance: money,
		currency: z.string().nullable().optional(),
	})
	.passthrough();

export const key = z
	.object({
		api_key: z.string().min(1),
		expires_at: z.string().nullable().optional(),
		created_at: z.string().nullable().optional(),
	})
	.passthrough();
