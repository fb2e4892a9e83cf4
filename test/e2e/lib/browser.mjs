// Drives n8n's editor in Debian's Chromium through playwright-core (no browser download: the
// system chromium is used; scripts/ensure-apt.sh installs it). Helpers speak the editor's
// words: the nodes panel, the node's settings (NDV), a parameter's dropdown, a credential form.

import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';

import { chromium, selectors } from 'playwright-core';

import { REPO_ROOT } from '../../../scripts/n8n-env.mjs';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOT_DIR = path.join(REPO_ROOT, 'test-results', 'editor');

// n8n marks its elements with data-test-id (playwright's default is data-testid).
let registered = false;
function useN8nTestIds() {
	if (registered) return;
	selectors.setTestIdAttribute('data-test-id');
	registered = true;
}

/** Opens Chromium, signs in to `server` as its owner, and returns editor helpers. */
export async function openEditor(server, { line }) {
	if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: run bash scripts/ensure-apt.sh chromium chromium`);
	useN8nTestIds();
	const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
	const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
	page.setDefaultTimeout(30_000);
	const shotDir = path.join(SCREENSHOT_DIR, line);
	await fs.mkdir(shotDir, { recursive: true });

	await page.goto(`${server.baseUrl}/signin`);
	await page.getByTestId('emailOrLdapLoginId').locator('input').fill(server.owner.email);
	await page.getByTestId('password').locator('input').fill(server.owner.password);
	await page.getByTestId('form-submit-button').click();
	await page.waitForURL((url) => !url.pathname.includes('signin'));

	const editor = {
		page,
		shotDir,
		async screenshot(name) {
			const file = path.join(shotDir, `${name}.png`);
			await page.screenshot({ path: file });
			return file;
		},
		async newWorkflow() {
			await page.goto(`${server.baseUrl}/workflow/new`);
			await page.getByTestId('node-creator-plus-button').waitFor();
		},
		/** Opens the nodes panel and searches; returns the names listed. */
		async searchNodes(query) {
			const searchBar = page.getByTestId('node-creator-search-bar');
			if (!(await searchBar.isVisible())) await page.getByTestId('node-creator-plus-button').click();
			await searchBar.waitFor();
			await searchBar.fill(query);
			await page.waitForTimeout(400);
			return await page.getByTestId('node-creator-item-name').allInnerTexts();
		},
		async clickPanelItem(text) {
			await page.getByTestId('node-creator-item-name').getByText(text, { exact: true }).first().click();
		},
		/** The panel's entry for a node: its description, trigger events and actions. */
		async panelDetails() {
			await page.getByTestId('node-creator-item-name').first().waitFor();
			return await page.getByTestId('node-creator').innerText();
		},
		async addManualTrigger() {
			await editor.searchNodes('Manual Trigger');
			await editor.clickPanelItem('Manual Trigger');
			await page.getByTestId('canvas-trigger-node').waitFor();
			await editor.closeNdv();
		},
		/** Adds the SMS Gateway node through one of its actions, as a user does; the NDV opens. */
		async addSmsGatewayAction(action) {
			await editor.searchNodes('SMS Gateway');
			await editor.clickPanelItem('SMS Gateway');
			await editor.clickPanelItem(action);
			await page.getByTestId('node-parameters').waitFor();
		},
		async closeNdv() {
			if (await page.getByTestId('ndv').isVisible()) {
				await page.keyboard.press('Escape');
				await page.getByTestId('ndv').waitFor({ state: 'hidden' }).catch(() => {});
			}
		},
		/** Names of the node parameters the NDV shows, in order (node settings excluded). */
		async shownParameters() {
			const html = await page.getByTestId('node-parameters').innerHTML();
			const settings = new Set(['alwaysOutputData', 'executeOnce', 'retryOnFail', 'onError', 'notes', 'notesInFlow', 'field', 'item']);
			return [...new Set([...html.matchAll(/data-test-id="parameter-input-([^"]+)"/g)].map((m) => m[1]))].filter((name) => !settings.has(name));
		},
		/** The labels of shown parameters that have no help icon (n8n shows one when a description exists). */
		async parametersWithoutHelp() {
			return await page.getByTestId('node-parameters').evaluate((root) =>
				[...root.querySelectorAll('[data-test-id="parameter-item"]')]
					.filter((item) => !item.closest('[data-test-id="tab-settings"]'))
					.map((item) => ({ label: item.querySelector('label')?.textContent?.trim() ?? '', help: !!item.querySelector('[data-icon="circle-help"]') }))
					.filter((entry) => entry.label !== '' && !entry.help)
					.map((entry) => entry.label),
			);
		},
		/** Opens a parameter's dropdown and returns the options' titles (first line of each). */
		async dropdownOptions(parameter) {
			await page.getByTestId(`parameter-input-${parameter}`).click();
			const items = page.locator('.el-select-dropdown__item:visible');
			await items.first().waitFor();
			// n8n adds "Custom API Call" to Operation lists of nodes whose credentials the HTTP Request node can use.
			const texts = (await items.allInnerTexts()).map((t) => t.split('\n')[0].trim()).filter((t) => t !== 'Custom API Call');
			await page.keyboard.press('Escape');
			return texts;
		},
		async choose(parameter, optionTitle) {
			await page.getByTestId(`parameter-input-${parameter}`).click();
			const items = page.locator('.el-select-dropdown__item:visible');
			await items.first().waitFor();
			await items.filter({ hasText: optionTitle }).first().click();
			await page.waitForTimeout(400);
		},
		/** What the NDV's credential slot shows: its label, button or chosen credential's name. */
		async credentialSlotText() {
			return await page.getByTestId('node-credentials-slot').evaluate((slot) =>
				[slot.innerText, ...[...slot.querySelectorAll('input')].map((input) => input.value)].join('\n'),
			);
		},
		/** Opens "Connect to …" (a new credential of the shown type) from the NDV. */
		async openNewCredential() {
			await page.getByTestId('node-credentials-empty-state').click();
			const modal = page.getByTestId('credential-edit-dialog');
			await modal.waitFor();
			return modal;
		},
		async fillCredential(modal, values) {
			for (const [name, value] of Object.entries(values)) {
				await modal.getByTestId(`parameter-input-${name}`).locator('input').fill(value);
			}
		},
		/**
		 * Saves the open credential form; n8n then runs the credential's Test. Waits for that test's
		 * answer (not for a banner that may still show the previous attempt), then for what the form
		 * shows: on success n8n closes it; on failure its banner, with the details opened.
		 * Returns { ok, message }.
		 */
		async saveCredential(modal) {
			const tested = page.waitForResponse((response) => response.url().includes('/rest/credentials/test'), { timeout: 60_000 });
			await page.getByTestId('credential-save-button').click();
			const answer = await (await tested).json();
			const ok = (answer.data ?? answer).status === 'OK';
			if (ok) {
				await modal.waitFor({ state: 'hidden', timeout: 30_000 });
				return { ok, message: '' };
			}
			await modal.getByText('Couldn’t connect with these settings').waitFor();
			const details = modal.getByText('More details');
			if (await details.isVisible()) await details.click();
			await page.waitForTimeout(300);
			return { ok, message: await modal.innerText() };
		},
		async close() {
			await browser.close();
		},
	};
	return editor;
}
