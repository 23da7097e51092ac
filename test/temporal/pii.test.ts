// Customers' personal data never sits in plain text in Temporal: after a full order lifecycle with a standalone worker
// process, the history as the Temporal CLI dumps it (`temporal workflow show --output json`) holds no customer name,
// street, e-mail or phone, although the decoded status (through the codec) holds them. And the places Temporal does
// not encrypt (workflow ids, search attributes, memos, the Web UI's details, logs, metric labels) hold, listed here,
// an order number and a customer number at most.
import { execFileSync } from 'node:child_process';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { resolveTemporalBinary } from '../../scripts/temporal-binary';
import { orderWorkflowId } from '../../domain/names';
import { registry } from '../../observability/metrics';
import { invoicesFor, orderResult, startHarness, textSink, type Harness } from './harness';

let h: Harness | undefined;
afterAll(async () => h?.close());

const person = {
  name: 'Astrid Lindqvist',
  street: 'Sjöviksvägen 7',
  email: 'astrid.lindqvist@example.se',
  phone: '070-555 12 34',
};

describe('personal data', () => {
  it('is encrypted in every history, and absent from ids, search attributes, memos, details, logs and metrics', async () => {
    const receiverLog = textSink();
    h = await startHarness({ startWorkers: false, receiverLog: receiverLog.sink });
    await h.spawnWorkerProcess();
    const documentNumber = await h.createOrder([{ ArticleNumber: 'A100', OrderedQuantity: 1 }], {
      DeliveryName: person.name,
      DeliveryAddress1: person.street,
      EmailInformation: { EmailAddressTo: person.email },
      Phone1: person.phone,
    });
    await h.syncOrders();
    const inWarehouse = await h.waitForStatus(documentNumber, (s) => s.stage === 'awaiting-warehouse' && !s.busy);
    // The workflow really carries the personal data: the codec opens it for a holder of the key.
    expect(inWarehouse.syncedDraft?.consignee).toMatchObject({ name: person.name, address1: person.street });
    expect(JSON.stringify(inWarehouse)).toContain(person.email);
    await h.floor(inWarehouse.wmsOrderId!, 'release');
    await h.floor(inWarehouse.wmsOrderId!, 'pick');
    await h.floor(inWarehouse.wmsOrderId!, 'send');
    expect((await orderResult(h, documentNumber)).outcome).toBe('invoiced');
    expect(await invoicesFor(h, documentNumber)).toHaveLength(1);

    // Every run of the tenant, as an operator would dump it with the Temporal CLI.
    const binary = await resolveTemporalBinary();
    const dumped: string[] = [];
    const workflowIds: string[] = [];
    for await (const info of h.client.workflow.list({ query: `Tenant = "${h.tenantId}"` })) {
      workflowIds.push(info.workflowId);
      dumped.push(
        execFileSync(
          binary!.path,
          [
            ...['workflow', 'show', '--workflow-id', info.workflowId, '--run-id', info.runId, '--output', 'json'],
            ...['--address', inject('temporalAddress')],
          ],
          { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
        ),
      );
    }
    expect(workflowIds).toContain(orderWorkflowId(h.tenantId, documentNumber));
    const histories = dumped.join('\n');
    // The payloads are there, sealed (the CLI shows their metadata in base64).
    expect(histories).toContain(Buffer.from('binary/encrypted').toString('base64'));
    const leaks = (text: string) =>
      Object.values(person).filter(
        (value) => text.includes(value) || text.includes(Buffer.from(value).toString('base64')),
      );
    expect(leaks(histories)).toEqual([]);

    // What Temporal keeps unencrypted, one place at a time.
    const handle = h.client.workflow.getHandle(orderWorkflowId(h.tenantId, documentNumber));
    const description = await handle.describe();
    // Workflow ids: a kind, the tenant, and an order number or a time.
    expect(workflowIds.filter((id) => !/^[\w-]+:[\w-]+(:[\w:.-]+)?$/.test(id))).toEqual([]);
    expect(leaks(workflowIds.join('\n'))).toEqual([]);
    expect(Object.keys(description.searchAttributes).sort()).toEqual([
      'BuildIds',
      'FortnoxOrderNumber',
      'NeedsAttention',
      'OrderStage',
      'TemporalChangeVersion', // the patches the run went through
      'Tenant',
      'WmsOrderId',
    ]);
    expect(leaks(JSON.stringify(description.searchAttributes))).toEqual([]);
    expect(description.memo ?? {}).toEqual({});
    const details = await handle.query<{ currentDetails?: string }>('__temporal_workflow_metadata');
    expect(details.currentDetails).toContain(documentNumber);
    expect(leaks(details.currentDetails ?? '')).toEqual([]);
    const logs = `${receiverLog.text()}\n${h.workerProcessOutput()}`;
    expect(h.workerProcessOutput()).toContain('invoice created'); // the worker's log really was captured
    expect(leaks(logs)).toEqual([]);
    expect(leaks(await registry.metrics())).toEqual([]);
  });
});
