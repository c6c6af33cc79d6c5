import { createRoot } from 'react-dom/client';

function App() {
  return <div>群析 Qunxi</div>;
}

createRoot(document.getElementById('root')!).render(<App />);
