// The floor: the least time a provider's own limits allow for a bulk send, whatever the client.
//
//   requests needed  = ceil(recipients / recipients per request)   (1 per request for different texts
//                      on an API that takes one text per request)
//   network floor    = ceil(requests / concurrency) × latency      (each round trip costs the latency)
//   rate-limit floor = (ceil(requests / limit) − 1) × window + latency, when requests > limit
//   floor            = the larger of the two
//
// "Recipients per request" and "concurrency" are the provider's rules where it publishes them
// (UGSMS: 60 requests per minute) and otherwise the node's defaults, chosen to stay gentle with a
// service that publishes none; they are printed with the figures so the assumption is visible.
// CPU time is not in the floor: reading and checking 2,000 items is what "ours ÷ floor" measures.

export const PLANS = {
	smsGateway24: {
		perRequest: { same: 500, personalised: 500 },
		concurrency: 3,
		rule: 'addalotofsms takes any texts: 500 per request (node default; no published limit), 3 in flight (node default)',
	},
	messageFlow: {
		perRequest: { same: 500, personalised: 1 },
		concurrency: 5,
		rule: 'one text per request: same text 500 numbers per request, different texts 1 each; 5 in flight (node default; no published limit)',
	},
	ugsms: {
		perRequest: { same: 500, personalised: 1 },
		concurrency: 3,
		rate: { limit: 60, windowMs: 60_000 },
		rule: 'one text per request: same text 500 numbers per request (node default), different texts 1 each; 3 in flight; 60 requests per minute (published)',
	},
};

export function floorFor({ provider, personalised, items, latencyMs = 25, fastWindow = false, concurrency }) {
	const plan = { ...PLANS[provider], ...(concurrency ? { concurrency } : {}) };
	const perRequest = plan.perRequest[personalised ? 'personalised' : 'same'];
	const requests = Math.ceil(items / perRequest);
	const network = Math.ceil(requests / plan.concurrency) * latencyMs;
	let rate = 0;
	const limit = plan.rate && { ...plan.rate, windowMs: fastWindow ? 1000 : plan.rate.windowMs };
	if (limit && requests > limit.limit) rate = (Math.ceil(requests / limit.limit) - 1) * limit.windowMs + latencyMs;
	const ms = Math.max(network, rate);
	const how =
		rate > network
			? `${requests} req at ${limit.limit} per ${limit.windowMs / 1000} s`
			: `${requests} req × ${latencyMs} ms ÷ ${plan.concurrency}`;
	return { requests, concurrency: plan.concurrency, perRequest, ms, how };
}
