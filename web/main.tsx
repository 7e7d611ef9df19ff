/** The SPA's entry: global styles, then the app shell into #app. */
import { render } from 'preact';
import { CALL_PATH_PATTERN } from '../protocol/rooms.ts';
import { App } from './app.tsx';
import { openEarly } from './call/signaling/room-socket.ts';
import './styles/app.css';

// A call link opened cold: its room socket opens alongside the sign-in check and the page's code.
const linkedRoom = CALL_PATH_PATTERN.exec(location.pathname)?.[1];
if (linkedRoom) openEarly(location.origin, linkedRoom);

render(<App />, document.getElementById('app') as HTMLElement);
