import { render } from 'preact';

render(
  <main>
    <h1>EdgeCall</h1>
  </main>,
  document.getElementById('app') as HTMLElement,
);
