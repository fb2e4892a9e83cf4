import { z } from 'zod';

/** SMS Bridge wraps every answer: {success, data} or {success: false, error: {code, message, details}}. */
export const envelope = z
	.object({
		success: z.boolean(),
		data: z.unknown().optional(),
		error: z
			.object({
				code: z.union([z.string(), z.number()]).nullable().optional(),
				message: z.string().nullable().optional(),
				details: z.unknown().optional(),
			})
			.passthrough()
			.nullable()
			.optional(),
	})
	.passthrough();

const id = z.union([z.number(), z.string()]).transform((value) => String(value));

export const message = z
	.object({
		id,
		to: z.string().nullable().optional(),
		text: z.string().nullable().optional(),
		// get.php's fields are not published; the one message row in the documents (pending.php)
		// names the number and text this way.
		target_phone: z.string().nullable().optional(),
		message_text: z.string().nullable().optional(),
		status: z.string().nullable().optional(),
		external_id: z.string().nullable().optional(),
		sender: z.string().nullable().optional(),
		attempts: z.union([z.number(), z.string()]).nullable().optional(),
		last_error: z.string().nullable().optional(),
		created_at: z.string().nullable().optional(),
		updated_at: z.string().nullable().optional(),
	})
	.passthrough();

export const pendingMessage = z
	.object({
		id,
		target_phone: z.string().nullable().optional(),
		message_text: z.string().nullable().optional(),
		external_id: z.string().nullable().optional(),
		attempts: z.union([z.number(), z.string()]).nullable().optional(),
		lease_until: z.string().nullable().optional(),
	})
	.passthrough();

export const pending = z
	.object({ count: z.union([z.number(), z.string()]).optional(), messages: z.array(pendingMessage).nullable().optional() })
	.passthrough();

export const anyObject = z.object({}).passthrough();

/**
 * What send.php and status.php answer. Their answer is documented only as `"data": { }`, so a
 * successful call is taken as done whatever the data holds; the message's fields are read when
 * they are there.
 */
export const acceptedMessage = message.extend({ id: id.nullable().optional() });

export type BridgeMessage = z.infer<typeof acceptedMessage>;
