import { z } from 'zod';

/**
 * Shapes of MessageFlow's answers, from the models of its official samples. Fields the samples do
 * not show are kept (passthrough) and go into the output's raw answer.
 */

const text = z.union([z.string(), z.number()]).transform((value) => String(value));

export const problem = z
	.object({
		title: z.string().nullable().optional(),
		message: z.string().nullable().optional(),
		code: z.union([z.number(), z.string()]).nullable().optional(),
		meta: z
			.object({
				source: z.string().nullable().optional(),
				parameter: z.string().nullable().optional(),
				value: z.unknown().optional(),
			})
			.passthrough()
			.nullable()
			.optional(),
	})
	.passthrough();

export const message = z
	.object({
		sender: z.string().nullable().optional(),
		phoneNumber: text,
		externalId: z.string().nullable().optional(),
		status: z.union([z.number(), z.string()]).nullable().optional(),
		statusTime: z.union([z.string(), z.number()]).nullable().optional(),
		createTime: z.union([z.string(), z.number()]).nullable().optional(),
		numberOfParts: z.union([z.number(), z.string()]).nullable().optional(),
	})
	.passthrough();

export const answer = z
	.object({
		data: z.array(message).nullable().optional(),
		errors: z.array(problem).nullable().optional(),
		meta: z.object({}).passthrough().nullable().optional(),
	})
	.passthrough();

export type Problem = z.infer<typeof problem>;
export type SentMessage = z.infer<typeof message>;
export type Answer = z.infer<typeof answer>;
