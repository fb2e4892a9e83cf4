import { z } from 'zod';

/**
 * Shapes of SMSGateway24's answers. They are checked so that a changed or broken answer becomes a
 * clear error instead of `undefined` deep inside a workflow. Unknown extra fields are kept
 * (passthrough): the raw answer goes into the output untouched.
 */

// The API writes numbers as numbers or strings depending on the method; accept both.
const id = z.union([z.number(), z.string().regex(/^\d+$/)]).transform((value) => String(value));
const flag = z.union([z.number(), z.string(), z.boolean()]);

export const envelope = z
	.object({
		error: flag.optional(),
		message: z.string().optional().nullable(),
	})
	.passthrough();

export const tokenAnswer = envelope.extend({ token: z.string().min(1) });
export const addSmsAnswer = envelope.extend({ sms_id: id });
export const bulkAnswer = envelope;
export const statusAnswer = envelope.extend({
	sms_id: id.optional(),
	status: z.union([z.number(), z.string()]),
	status_description: z.string().optional().nullable(),
});

const phpDate = z
	.object({ date: z.string(), timezone_type: z.number().optional(), timezone: z.string().optional() })
	.passthrough();

export const storedMessage = z
	.object({
		id,
		sendto: z.string().nullable().optional(),
		body: z.string().nullable().optional(),
		customerid: z.union([z.number(), z.string()]).nullable().optional(),
		status: z.union([z.number(), z.string()]),
		statustitle: z.string().nullable().optional(),
		deviceid: z.union([z.number(), z.string()]).nullable().optional(),
		created: phpDate.nullable().optional(),
		sim: z.union([z.number(), z.string()]).nullable().optional(),
	})
	.passthrough();

// A list is an object keyed by id, and an empty list may come as [] (PHP's empty array).
export const listAnswer = envelope.extend({
	count: z.union([z.number(), z.string()]).optional(),
	smss: z.union([z.record(storedMessage), z.array(storedMessage)]).optional().nullable(),
});

export const device = z
	.object({
		id,
		title: z.string().nullable().optional(),
		siminfo: z.array(z.object({}).passthrough()).nullable().optional(),
	})
	.passthrough();

export const devicesAnswer = envelope.extend({
	count: z.union([z.number(), z.string()]).optional(),
	device: z.union([z.record(device), z.array(device)]).optional().nullable(),
});

export const deviceStatusAnswer = envelope.extend({
	online: flag,
	device_id: id.optional(),
	diffseconds: z.union([z.number(), z.string()]).optional().nullable(),
	title: z.string().optional().nullable(),
});

/**
 * What a create answers. The documents name `tag_id`, `contact_id` and `paket_id`, but both official
 * SDKs read a newsletter's ID from `paket`: every reading is taken, and an answer that reports
 * success without any of them is still a success (the thing was created), not an error that a
 * Retry On Fail would meet as "may already have been done".
 */
export const tagAnswer = envelope.extend({ tag_id: id.optional(), id: id.optional() });
export const contactAnswer = envelope.extend({ contact_id: id.optional(), id: id.optional() });
export const newsletterAnswer = envelope.extend({ paket_id: id.optional(), paket: id.optional(), id: id.optional() });
