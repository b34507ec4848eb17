# corpus: NG001
# A test-time wrapper: the generator comes from the factory, and `test` calls its `forward`
# by name, which says it is a module whatever builds it.
import networks


class TestModel:
    def __init__(self, opt):
        self.netG = networks.define_generator(opt.kind, opt.channels)
        self.netG.load_state_dict(opt.weights)

    def set_input(self, batch):
        self.real = batch["image"]

    def test(self):
        self.fake = self.netG.forward(self.real)
        return self.fake.data

    def paths(self):
        return self.real.shape
