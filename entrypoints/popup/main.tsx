import { mountPage } from '../../components/mount-page';
import { Popup } from '../../components/Popup';

mountPage(<Popup />);
