// skeleton.js: draws one chart from /api/v1/health (the walking skeleton)
const status = document.getElementById('status');
try {
  const res = await fetch('/api/v1/health');
  const body = await res.json();
  status.textContent = `API ${body.status}, schema ${body.schema}`;
  window.cairnChart = new window.Chart(document.getElementById('chart'), {
    type: 'bar',
    data: { labels: ['schema'], datasets: [{ label: 'version', data: [body.schema] }] },
  });
} catch (e) {
  status.textContent = `API unreachable: ${e.message}`;
}
