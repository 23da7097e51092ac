// The sandbox console's page: polls both sandboxes through the console server and renders them side by side.
/* global document */ // runs in the browser
'use strict';

const STATUS = { 200: 'Open', 300: 'Released', 320: 'Allocated', 400: 'Picked', 450: 'Sent', 500: 'Collected', 800: 'Returned', 1000: 'Cancelled', 150: 'Error' };
let config;

const esc = (v) => String(v ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
const num = (v) => Number(v ?? 0);
const workflowUrl = (documentNumber) =>
  `${config.temporalUiUrl}/namespaces/${encodeURIComponent(config.namespace)}/workflows/${config.workflowIdPrefix}${encodeURIComponent(documentNumber)}`;
const workflowLink = (documentNumber) =>
  `<a href="${esc(workflowUrl(documentNumber))}" target="_blank" rel="noopener" data-testid="workflow-link">workflow ↗</a>`;
const rows = (table, html, empty, columns) => {
  document.querySelector(`[data-testid="${table}"] tbody`).innerHTML = html.length ? html.join('') : `<tr><td colspan="${columns}" class="empty">${empty}</td></tr>`;
};

function say(text) {
  document.getElementById('message').textContent = text;
}

async function call(method, url) {
  const response = await fetch(url, { method, headers: method === 'POST' ? { 'content-type': 'application/json' } : {}, body: method === 'POST' ? '{}' : undefined });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(body.message || body.error || `${response.status}`);
  return body;
}

function renderFortnox(state) {
  const orders = [...state.orders].sort((a, b) => num(b.DocumentNumber) - num(a.DocumentNumber));
  rows('fortnox-orders', orders.map((o) => {
    const invoiced = num(o.InvoiceReference) > 0;
    const stateText = o.Cancelled ? '<span class="status cancelled">Cancelled</span>'
      : invoiced ? `<span class="status invoiced">Invoiced #${esc(o.InvoiceReference)}</span>`
        : o.Sent ? '<span class="status">Confirmed</span>' : '<span class="status">Not confirmed</span>';
    const lines = (o.OrderRows || []).map((r) => `${num(r.OrderedQuantity)} × ${esc(r.ArticleNumber)}${num(r.DeliveredQuantity) ? ` (delivered ${num(r.DeliveredQuantity)})` : ''}`).join('<br>');
    return `<tr data-order="${esc(o.DocumentNumber)}"><td>${esc(o.DocumentNumber)}</td><td>${esc(o.CustomerName)}</td><td>${lines}</td><td>${stateText}</td><td>${workflowLink(o.DocumentNumber)}</td></tr>`;
  }), 'No orders yet: press “New Fortnox order”.', 5);

  const invoices = [...state.invoices].sort((a, b) => num(b.DocumentNumber) - num(a.DocumentNumber));
  rows('fortnox-invoices', invoices.map((i) => {
    const delivered = (i.InvoiceRows || []).filter((r) => r.ArticleNumber).map((r) => `${num(r.DeliveredQuantity)} × ${esc(r.ArticleNumber)}`).join('<br>');
    // Net, before VAT: the sandbox keeps rows, not totals.
    const net = (i.InvoiceRows || []).reduce((sum, r) => sum + num(r.DeliveredQuantity) * num(r.Price) * (1 - num(r.Discount) / 100), 0);
    return `<tr data-invoice="${esc(i.DocumentNumber)}" data-order-reference="${esc(i.OrderReference)}"><td>${esc(i.DocumentNumber)}</td><td>${esc(i.OrderReference)}</td><td>${delivered}</td><td class="num">${net.toFixed(2)} ${esc(i.Currency)}</td></tr>`;
  }), 'No invoices yet.', 4);

  const lager = new Map();
  for (const b of state.warehouse?.stockBalance || []) lager.set(b.itemId, (lager.get(b.itemId) || 0) + num(b.inStock));
  rows('fortnox-stock', state.articles.filter((a) => a.StockGoods !== false).map((a) =>
    `<tr><td>${esc(a.ArticleNumber)}</td><td>${esc(a.Description)}</td><td class="num">${state.lager ? (lager.get(a.ArticleNumber) || 0) : num(a.QuantityInStock)}</td></tr>`),
  'No articles.', 3);
}

function renderWms(state) {
  const groups = new Map();
  for (const o of state.orders) {
    const status = o.orderInfo.orderStatus.number;
    if (!groups.has(status)) groups.set(status, []);
    groups.get(status).push(o);
  }
  const html = [...groups.keys()].sort((a, b) => a - b).map((status) => {
    const orders = groups.get(status).sort((a, b) => b.orderInfo.orderId - a.orderInfo.orderId);
    const body = orders.map((o) => {
      const id = o.orderInfo.orderId;
      const lines = o.orderLines.map((l) => `${l.orderedNumberOfItems} × ${esc(l.article.articleNumber)}${l.pickedNumberOfItems ? ` (picked ${l.pickedNumberOfItems})` : ''}`).join('<br>');
      const pick = status < 400 ? `<button type="button" data-action="pick" data-order-id="${id}">Pick</button>` : '';
      const send = status <= 400 ? `<button type="button" data-action="send" data-order-id="${id}">Sent</button>` : '';
      return `<tr data-wms-order="${esc(o.orderInfo.orderNumber)}"><td>${esc(o.orderInfo.orderNumber)}</td><td>${esc(o.consignee?.name)}</td><td>${lines}</td><td>${pick} ${send}</td><td>${workflowLink(o.orderInfo.orderNumber)}</td></tr>`;
    }).join('');
    return `<div class="wms-group" data-status="${status}"><h3>${esc(STATUS[status] || status)} <span class="count">(${orders.length})</span></h3>` +
      `<table><thead><tr><th>Order</th><th>Consignee</th><th>Lines</th><th>Floor</th><th>Workflow</th></tr></thead><tbody>${body}</tbody></table></div>`;
  });
  document.querySelector('[data-testid="wms-orders"]').innerHTML = html.length ? html.join('') : '<p class="empty">No orders in the warehouse yet: sync them from Fortnox.</p>';
  rows('wms-stock', state.articles.map((a) =>
    `<tr><td>${esc(a.articleNumber)}</td><td>${esc(a.articleName)}</td><td class="num">${num(a.inventoryInfo?.numberOfItems)}</td><td class="num">${num(a.inventoryInfo?.bookedNumberOfItems)}</td></tr>`),
  'No articles.', 4);
}

async function refresh() {
  try {
    const [fortnox, wms] = await Promise.all([call('GET', '/api/fortnox/state'), call('GET', '/api/wms/state')]);
    renderFortnox(fortnox);
    renderWms(wms);
  } catch (err) {
    say(`Could not read the sandboxes: ${err.message}`);
  }
}

async function start() {
  config = await call('GET', '/api/config');
  document.getElementById('tenant').textContent = `· ${config.tenantName}`;
  document.getElementById('temporal-ui').href = `${config.temporalUiUrl}/namespaces/${encodeURIComponent(config.namespace)}/workflows`;
  document.getElementById('sync-now').hidden = !config.canSync;
  document.getElementById('new-order').addEventListener('click', async () => {
    const { DocumentNumber } = await call('POST', '/api/fortnox/orders');
    say(`Fortnox order ${DocumentNumber} created${config.canSync ? ': press “Sync orders now”' : ''}.`);
    await refresh();
  });
  document.getElementById('sync-now').addEventListener('click', async () => {
    await call('POST', '/api/sync');
    say('Order sync started: new orders reach the warehouse in a moment.');
  });
  document.querySelector('[data-testid="wms-orders"]').addEventListener('click', async (event) => {
    const button = event.target.closest('button[data-action]');
    if (!button) return;
    button.disabled = true;
    try {
      await call('POST', `/api/wms/orders/${button.dataset.orderId}/${button.dataset.action}`);
      say(button.dataset.action === 'send' ? 'Sent: the workflow reports the delivery and invoices it in Fortnox.' : 'Picked.');
    } catch (err) {
      say(`The warehouse refused: ${err.message}`);
    }
    await refresh();
  });
  await refresh();
  setInterval(refresh, 1500);
}

start();
