/** The SPA's entry: global styles, then the app shell into #app. */
import { render } from 'preact';
import { App } from './app.tsx';
import './styles/app.css';

render(<App />, document.getElementById('app') as HTMLElement);
