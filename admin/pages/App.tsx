import InboxPage from './Inbox/InboxPage';

/** The plugin's main page (the WhatsApp menu entry): the inbox. */
const App = () => <InboxPage />;

export default App;
