# corpus: NG001
# The base class's `__call__` runs `self.predict(...)`; instances of any subclass are called.
class Component:
    def __call__(self, *args, **kwargs):
        return self.predict(*args, **kwargs)

    def predict(self, *args, **kwargs):
        raise NotImplementedError
