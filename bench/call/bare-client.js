/**
 * The bare-minimum call (benchmark part A): what any WebRTC app must do at least, and nothing
 * else. Like the app's lobby, the camera and mic are opened on load; "Join call" then opens the
 * WebSocket to the relay (bare-server.ts), and the peer that arrives second makes the offer.
 * Trickle ICE both ways; messages are handled strictly in order.
 */
const params = new URLSearchParams(location.search);
const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
document.querySelector('#local').srcObject = stream;
const config = await (await fetch(`/ice?relay=${params.get('relay') ?? '0'}`)).json();

const button = document.querySelector('button');
button.disabled = false;
button.addEventListener('click', () => {
  button.disabled = true;
  const socket = new WebSocket(`ws://${location.host}/ws?room=${params.get('room')}`);
  const send = (message) => socket.send(JSON.stringify(message));
  let pc;
  const start = () => {
    pc = new RTCPeerConnection(config);
    for (const track of stream.getTracks()) pc.addTrack(track, stream);
    pc.addEventListener('track', (event) => {
      document.querySelector('#remote').srcObject = event.streams[0];
    });
    pc.addEventListener('icecandidate', (event) => event.candidate && send({ candidate: event.candidate }));
  };
  const handle = async (message) => {
    if (message.type === 'welcome' && message.peer) {
      start();
      await pc.setLocalDescription();
      send({ description: pc.localDescription });
    } else if (message.type === 'peer-joined') {
      start();
    } else if (message.description) {
      await pc.setRemoteDescription(message.description);
      if (message.description.type === 'offer') {
        await pc.setLocalDescription();
        send({ description: pc.localDescription });
      }
    } else if (message.candidate) {
      await pc.addIceCandidate(message.candidate);
    }
  };
  let queue = Promise.resolve();
  socket.addEventListener('message', ({ data }) => {
    queue = queue.then(() => handle(JSON.parse(data))).catch((error) => console.error(error));
  });
});
