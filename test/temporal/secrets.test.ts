// Secrets never enter Temporal or the logs: after a full order lifecycle (with a standalone worker process, as in
// production), every workflow history, search attribute and memo, and every log line, is searched for the sandboxes'
// credentials and every token the Fortnox sandbox issued. Zero hits.
import { afterAll, describe, expect, it } from 'vitest';
import { orderWorkflowId } from '../../domain/names';
import { invoicesFor, orderInWarehouse, orderResult, startHarness, textSink, type Harness } from './harness';

let h: Harness | undefined;
afterAll(async () => h?.close());

/** Everything readable in a value: strings as they are, bytes (payload data) decoded, so base64 hides nothing. */
function texts(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (value instanceof Uint8Array)
    out.push(Buffer.from(value).toString('utf8'), Buffer.from(value).toString('base64'));
  else if (Array.isArray(value)) for (const v of value) texts(v, out);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) texts(v, out);
  return out;
}

describe('secrets', () => {
  it('appear in no history, search attribute, memo or log line', async () => {
    const receiverLog = textSink();
    h = await startHarness({ startWorkers: false, receiverLog: receiverLog.sink });
    await h.spawnWorkerProcess();
    const { documentNumber, wmsOrderId } = await orderInWarehouse(h, [{ ArticleNumber: 'A100', OrderedQuantity: 1 }]);
    await h.floor(wmsOrderId, 'release');
    await h.floor(wmsOrderId, 'pick');
    await h.floor(wmsOrderId, 'send');
    expect((await orderResult(h, documentNumber)).outcome).toBe('invoiced');
    expect(await invoicesFor(h, documentNumber)).toHaveLength(1);

    const { fortnox, wms } = h.tenant;
    const auth = fortnox.auth;
    const secrets = [
      auth.clientSecret,
      Buffer.from(`${auth.clientId}:${auth.clientSecret}`).toString('base64'),
      wms.password,
      Buffer.from(`${wms.username}:${wms.password}`).toString('base64'),
      ...(wms.webhook.auth === 'basic'
        ? [wms.webhook.password, Buffer.from(`${wms.webhook.username}:${wms.webhook.password}`).toString('base64')]
        : []),
      ...h.sandboxes.issuedFortnoxTokens(),
    ];
    expect(h.sandboxes.issuedFortnoxTokens().length).toBeGreaterThan(0);

    const haystack: string[] = [receiverLog.text(), h.workerProcessOutput()];
    let workflows = 0;
    for await (const info of h.client.workflow.list({ query: `Tenant = "${h.tenantId}"` })) {
      workflows++;
      const handle = h.client.workflow.getHandle(info.workflowId, info.runId);
      // Opened: a secret sealed in a payload would still be a secret in Temporal for anyone holding the codec key.
      haystack.push(...texts(await h.openedHistory(info.workflowId, info.runId)));
      const description = await handle.describe();
      haystack.push(
        ...texts(description.searchAttributes),
        ...texts(description.memo ?? {}),
        JSON.stringify(description.raw),
      );
    }
    expect(workflows).toBeGreaterThan(1);
    // The histories were searched opened: the order's result reads in plain JSON there.
    const orderHistory = texts(await h.openedHistory(orderWorkflowId(h.tenantId, documentNumber))).join('\n');
    expect(orderHistory).toContain('"outcome":"invoiced"');
    expect(receiverLog.text()).toContain('webhook accepted'); // the logs really were captured
    expect(h.workerProcessOutput()).toContain('invoice created');
    const text = haystack.join('\n');
    const hits = secrets.filter((secret) => secret && text.includes(secret));
    expect(hits).toEqual([]);
  });
});
