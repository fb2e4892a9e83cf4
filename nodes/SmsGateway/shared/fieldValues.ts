import { InvalidInputError, listForError, preview } from './errors';

/** Nothing given: absent, null, or a text of only spaces (an empty sheet cell). */
export function isEmptyValue(raw: unknown): boolean {
	return raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '');
}

/** The value as the error shows it: texts in quotes, so "7" and 7 read apart. */
function shownValue(raw: unknown): string {
	return typeof raw === 'string' ? `"${preview(raw)}"` : preview(raw);
}

export interface WholeNumberRule {
	/** Smallest value allowed (the editor's minValue). */
	min: number;
	/** Largest value allowed (the editor's maxValue); none when absent. */
	max?: number;
	/** Taken when the field is empty; without it an empty field is refused. */
	fallback?: number;
	/** What the number counts, in the message ("days": "a whole number of days from 1 to 365"). */
	unit?: string;
	/** What to do instead, when the usual "enter a whole number from … to …" does not say enough. */
	fix?: string;
	/**
	 * Whether a decimal inside the range is taken too (Tracking Window: 1.5 hours). That field has no
	 * `numberPrecision: 0` (the whole-number fields do), so the editor stores a typed decimal as it
	 * is; the code always read it as a number of hours, so a saved 1.5 must keep working.
	 */
	decimals?: boolean;
}

/**
 * Reads a whole-number field (a batch size, requests in flight, a limit, a reference number).
 *
 * The editor keeps a typed value inside its min and max, but an expression can hand over anything:
 * `{{ $json.size }}` as text, a decimal, a negative number, a word, a missing field. Read loosely
 * (`Number(x) || default`), a word quietly became the default, a negative Limit cut a list to
 * nothing and `true` became 1, so the run did something other than what was written without a
 * word. Here a number or a numeric text is taken as it is, an empty field takes the fallback, and
 * anything else is refused naming the field and the range.
 */
export function readWholeNumber(raw: unknown, field: string, rule: WholeNumberRule): number {
	if (isEmptyValue(raw)) {
		if (rule.fallback !== undefined) return rule.fallback;
		throw new InvalidInputError(field, 'no number given', rule.fix ?? `Enter ${range(rule)}.`);
	}
	const value = typeof raw === 'string' ? Number(raw.trim()) : raw;
	const kind = rule.decimals ? Number.isFinite : Number.isSafeInteger;
	if (typeof value !== 'number' || !kind(value) || value < rule.min || (rule.max !== undefined && value > rule.max)) {
		const fallback = rule.fallback === undefined ? '' : `, or remove the value for the default (${rule.fallback})`;
		throw new InvalidInputError(field, `${shownValue(raw)} is not ${range(rule)}`, rule.fix ?? `Enter ${range(rule)}${fallback}.`);
	}
	return value;
}

function range(rule: WholeNumberRule): string {
	const whole = rule.decimals ? 'a number' : 'a whole number';
	const number = rule.unit ? `${whole} of ${rule.unit}` : whole;
	return rule.max === undefined ? `${number}, ${rule.min} or more` : `${number} from ${rule.min} to ${rule.max}`;
}

/**
 * Reads an on/off field (Urgent, Short Link, Return All, Look Up Message IDs…). An expression
 * hands over what it computes, and data from a sheet or a form is often the text "TRUE" or
 * "false": compared with `=== true`, the text "true" quietly left the option off. Booleans and
 * the texts true/false (any case, spaces around) are taken, and so are 1 and 0 (a spreadsheet's
 * or a database's flag, as a number or a text); an empty value takes the fallback; anything else
 * ("yes", 2, an object) is refused naming the field.
 */
export function readOnOff(raw: unknown, field: string, fallback: boolean): boolean {
	if (typeof raw === 'boolean') return raw;
	if (raw === undefined || raw === null) return fallback;
	if (raw === 1 || raw === 0) return raw === 1;
	if (typeof raw === 'string') {
		const text = raw.trim().toLowerCase();
		if (text === '') return fallback;
		if (text === 'true' || text === '1') return true;
		if (text === 'false' || text === '0') return false;
	}
	throw new InvalidInputError(field, `${shownValue(raw)} is not true or false`, `Map a true/false value, e.g. {{ $json.${fieldKey(field)} === 'yes' }}, or switch the option on or off.`);
}

/** A field's label as an example property name ("Short Link" → shortLink). */
function fieldKey(field: string): string {
	const words = field.replace(/[^A-Za-z ]/g, '').trim().split(/\s+/);
	return words.map((word, index) => (index === 0 ? word.toLowerCase() : word.charAt(0).toUpperCase() + word.slice(1).toLowerCase())).join('');
}

/**
 * Reads a drop-down field (Number Format, a Status filter…) that an expression may fill. The
 * editor only offers the listed values; an expression can give anything, and a value the code
 * does not know was taken as the default without a word (an unknown Number Format went out as
 * international, an SMSGateway24 Status "Delivered" as NaN). A listed value is taken, also as its
 * text ("7" for 7), and so is a listed name in any case ("delivered"); an empty value takes the
 * fallback, or is refused where there is none (a top-level drop-down the editor always fills);
 * anything else is refused naming the field and the choices.
 */
export function readChoice<T extends string | number>(raw: unknown, field: string, choices: ReadonlyArray<{ name: string; value: T }>, fallback?: T): T {
	const fix = `Choose one of: ${listForError(choices.map((choice) => `${choice.name} (${JSON.stringify(choice.value)})`), 25)}.`;
	if (isEmptyValue(raw)) {
		// A field the editor always fills (a top-level drop-down) is empty only when an expression
		// gave nothing: an empty sheet cell meant for WhatsApp must not go out as SMS on SIM 1.
		if (fallback !== undefined) return fallback;
		throw new InvalidInputError(field, 'nothing chosen (the expression gave an empty value)', fix);
	}
	const text = typeof raw === 'string' || typeof raw === 'number' ? String(raw).trim() : undefined;
	if (text !== undefined) {
		const byValue = choices.find((choice) => String(choice.value) === text);
		if (byValue) return byValue.value;
		const lower = text.toLowerCase();
		const byName = choices.find((choice) => choice.name.toLowerCase() === lower);
		if (byName) return byName.value;
	}
	throw new InvalidInputError(field, `${shownValue(raw)} is not one of the choices`, fix);
}
