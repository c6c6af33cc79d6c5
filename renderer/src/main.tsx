import { createRoot } from 'react-dom/client';
import { App } from './App';
import { connectEngine } from './api/client';
import './styles.css';

const root = createRoot(document.getElementById('root')!);
connectEngine().then(
  (engine) => root.render(<App engine={engine} />),
  (e: Error) => root.render(<div className="state error" role="alert">Qunxi: {e.message}</div>),
);
