import type { WebhookDelivery, WebhookRequest } from './types';

/**
 * Posts provider webhooks and remembers what happened. Deliveries are fire-and-forget like a real
 * provider's, but tracked, so an in-process test can `await flush()` instead of sleeping.
 */
export class WebhookSender {
	private deliveries: WebhookDelivery[] = [];
	private pending = new Set<Promise<void>>();
	private seq = 0;
	private controllers = new Set<AbortController>();

	constructor(
		private readonly timeoutMs: number,
		private readonly limit = 2000,
	) {}

	send(request: WebhookRequest): void {
		const headers: Record<string, string> = {
			'Content-Type': 'application/json',
			'User-Agent': `sms-gateway-simulator (${request.provider})`,
			...(request.headers ?? {}),
		};
		const delivery: WebhookDelivery = {
			seq: ++this.seq,
			time: new Date().toISOString(),
			provider: request.provider,
			kind: request.kind,
			url: request.url,
			headers,
			payload: request.payload,
		};
		this.deliveries.push(delivery);
		if (this.deliveries.length > this.limit) this.deliveries.splice(0, this.deliveries.length - this.limit);

		const controller = new AbortController();
		this.controllers.add(controller);
		const timer = setTimeout(() => controller.abort(), this.timeoutMs);
		const started = Date.now();
		const task = fetch(request.url, {
			method: 'POST',
			headers,
			body: JSON.stringify(request.payload),
			signal: controller.signal,
		})
			.then(async (res) => {
				delivery.status = res.status;
				// Drain so the connection can be reused/closed cleanly.
				await res.arrayBuffer().catch(() => undefined);
			})
			.catch((err: Error) => {
				delivery.error = controller.signal.aborted ? `timed out after ${this.timeoutMs} ms` : err.message;
			})
			.finally(() => {
				delivery.durationMs = Date.now() - started;
				clearTimeout(timer);
				this.controllers.delete(controller);
				this.pending.delete(task);
			});
		this.pending.add(task);
	}

	/** Resolves once every delivery started so far has finished (or failed). */
	async flush(): Promise<void> {
		while (this.pending.size > 0) await Promise.all([...this.pending]);
	}

	list(): WebhookDelivery[] {
		return this.deliveries.map((d) => ({ ...d }));
	}

	clear(): void {
		this.deliveries = [];
	}

	abortAll(): void {
		for (const c of this.controllers) c.abort();
	}
}
