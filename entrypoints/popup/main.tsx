import { mountPage } from '../../components/pages/mount-page';
import { Popup } from '../../components/popup/Popup';

mountPage(<Popup />);
