// The sandbox console in headless Chromium: a newcomer creates an order in the Fortnox view, syncs it, presses Pick
// and Sent in the warehouse view and sees the invoice appear, each order linked to its workflow in the Temporal Web
// UI. Runs on a dev server of its own with the Web UI and the codec server, as `npm start` wires them, and saves the
// README's screenshots of both.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import getPort from 'get-port';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildCodecServer, codecEndpointForUi } from '../../client/codec-server';
import { createLogger } from '../../config/logger';
import { startDevServer, type DevServer } from '../../scripts/dev-server';
import { startConsole, type ConsoleServer } from '../../simulators/console/server';
import { orderWorkflowId } from '../../domain/names';
import { launchChromium } from './chromium';
import { startHarness, type Harness } from './harness';

const screenshots = join(import.meta.dirname, '..', '..', 'docs', 'screenshots');

let server: DevServer;
let h: Harness;
let web: ConsoleServer;
let browser: Browser;
let page: Page;
let codecServer: FastifyInstance;

beforeAll(async () => {
  browser = await launchChromium();
  // The UI learns the codec endpoint at start; the codec server holds the harness's keys, made after the server is up.
  const codecPort = await getPort();
  const codecToken = 'console-test-codec-token';
  const uiPort = await getPort();
  server = await startDevServer({
    port: await getPort(),
    uiPort,
    uiCodecEndpoint: codecEndpointForUi(`http://localhost:${codecPort}`, codecToken),
    log: () => undefined,
  });
  h = await startHarness({ temporalAddress: server.address });
  codecServer = buildCodecServer({
    codec: h.payloadCodec,
    token: codecToken,
    allowedOrigins: [server.uiUrl!, `http://127.0.0.1:${uiPort}`],
    logger: createLogger('silent'),
  });
  await codecServer.listen({ port: codecPort, host: '127.0.0.1' });
  web = await startConsole({
    port: 0,
    fortnoxUrl: h.sandboxes.fortnoxUrl,
    wmsUrl: h.sandboxes.wmsUrl,
    tenant: h.tenant,
    temporalUiUrl: server.uiUrl!,
    namespace: 'default',
    syncNow: async () => {
      await h.syncOrders();
    },
  });
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  mkdirSync(screenshots, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await codecServer?.close();
  await web?.close();
  await h?.close();
  await server?.stop();
});

describe('sandbox console', () => {
  it('takes one order from Fortnox to an invoice by clicking', async () => {
    await page.goto(web.url);
    await page.getByRole('button', { name: 'New Fortnox order' }).click();
    const message = await page
      .locator('#message')
      .filter({ hasText: /Fortnox order \d+ created/ })
      .textContent();
    const documentNumber = /order (\d+)/.exec(message!)![1]!;
    const fortnoxRow = page.locator(`[data-testid="fortnox-orders"] tr[data-order="${documentNumber}"]`);
    await expect.poll(() => fortnoxRow.textContent()).toContain('Confirmed');
    expect(await fortnoxRow.getByTestId('workflow-link').getAttribute('href')).toBe(
      `${server.uiUrl}/namespaces/default/workflows/${orderWorkflowId(h.tenantId, documentNumber)}`,
    );

    await page.getByRole('button', { name: 'Sync orders now' }).click();
    const wmsRow = page.locator(
      `[data-testid="wms-orders"] [data-status="200"] tr[data-wms-order="${documentNumber}"]`,
    );
    await wmsRow.waitFor({ timeout: 30_000 });
    // Let the workflow finish with the WMS's "created" webhook first, as a person reading the screen would.
    await h.waitForStatus(
      documentNumber,
      (s) => s.stage === 'awaiting-warehouse' && s.seenWebhookEvents.length > 0 && !s.busy && !s.pendingWmsCheck,
    );

    await wmsRow.getByRole('button', { name: 'Pick' }).click();
    const picked = page.locator(
      `[data-testid="wms-orders"] [data-status="400"] tr[data-wms-order="${documentNumber}"]`,
    );
    await picked.getByRole('button', { name: 'Sent' }).click();
    await page
      .locator(`[data-testid="wms-orders"] [data-status="450"] tr[data-wms-order="${documentNumber}"]`)
      .waitFor();

    const invoice = page.locator(`[data-testid="fortnox-invoices"] tr[data-order-reference="${documentNumber}"]`);
    await invoice.waitFor({ timeout: 60_000 });
    await expect.poll(() => fortnoxRow.textContent(), { timeout: 10_000 }).toMatch(/Invoiced #\d+/);
    expect(await invoice.textContent()).toMatch(/\d+ × \w+/);
    await page.screenshot({ path: join(screenshots, 'console.png'), fullPage: true });

    // The same order in the Temporal Web UI, where operators inspect and replay it.
    const result = await h.client.workflow.getHandle(orderWorkflowId(h.tenantId, documentNumber)).result();
    expect(result.outcome).toBe('invoiced');
    const ui = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const href = (await fortnoxRow.getByTestId('workflow-link').getAttribute('href')) as string;
    await ui.goto(href);
    await ui
      .getByText(/Completed/i)
      .first()
      .waitFor({ timeout: 30_000 });
    await ui.getByText(orderWorkflowId(h.tenantId, documentNumber)).first().waitFor();
    await ui.waitForLoadState('networkidle');
    await ui.screenshot({ path: join(screenshots, 'temporal-ui.png') });

    // Temporal stores the order's payloads encrypted; the UI shows them decoded through the codec server.
    const fortnoxOrder = await h.fortnox.getOrder(documentNumber);
    const customerName = fortnoxOrder.DeliveryName || fortnoxOrder.CustomerName;
    expect(customerName).toBeTruthy();
    // The history's expanded view; the order's WMS upsert shows its input, consignee included.
    await ui.getByRole('button', { name: 'Minimized' }).click();
    await ui.getByText('upsertWmsOrder').last().click();
    await ui.getByText(customerName!).first().waitFor({ timeout: 30_000 });
    await ui.close();
  });
});
